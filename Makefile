# The two commands of the README: `make run` and `make test`.
#
# Each installs exactly its lock file (versions and hashes, made by `make lock`) into a virtualenv
# of its own: `make run` the runtime set (requirements/run.txt) into .venv-run, `make test` the
# runtime set plus the test tools (requirements/test.txt) into .venv. So the app never runs among
# test tools, and either order of the two commands works. A changed lock file rebuilds its
# environment from scratch: pip adds what a lock gains but never removes what it drops.
# Using a lock needs python3 and its pip only; making one needs uv (`make lock` installs it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_VENV := .venv-run
RUN_BIN := $(RUN_VENV)/bin
RUN_LOCK := requirements/run.txt
TEST_LOCK := requirements/test.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-run lock lint messages clean

# $(1): the environment's folder, $(2): its lock. Wheels only, every file checked against its
# hash; --no-deps because the lock lists every package, and `pip check` proves it complete.
define install_lock
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --require-hashes --no-deps --only-binary :all: -r $(2)
	$(1)/bin/python -m pip check
	touch $(1)/.installed
endef

$(VENV)/.installed: $(TEST_LOCK)
	$(call install_lock,$(VENV),$(TEST_LOCK))

$(RUN_VENV)/.installed: $(RUN_LOCK)
	$(call install_lock,$(RUN_VENV),$(RUN_LOCK))

install: $(VENV)/.installed
install-run: $(RUN_VENV)/.installed

# Rewrites both locks from pyproject.toml's ranges, for Python 3.11 and later on every platform
# (markers keep what only some need, hashes cover every file of each release). Keeps the pinned
# versions unless asked: `make lock UPGRADE=--upgrade`, or UPGRADE="--upgrade-package django".
# The runtime lock is constrained by the test lock, so both pin the same versions.
UV_VERSION := 0.13.9
LOCK_VENV := .venv-lock
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --index-url https://pypi.org/simple --custom-compile-command "make lock" --quiet

lock:
	test -x $(LOCK_VENV)/bin/uv || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) $(UPGRADE) --extra test -o $(TEST_LOCK)
	$(UV_COMPILE) --constraint $(TEST_LOCK) -o $(RUN_LOCK)

# Links (the demo's, and those in emails) point where this server listens, unless SITE_URL says
# otherwise; static files are collected: compressed, with hashed names, as in production.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV = SITE_URL=$(SITE_URL) INTERVISIE_COLLECTED_STATIC=1

run: install-run
	$(RUN_ENV) $(RUN_BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(RUN_BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(RUN_BIN)/python manage.py demo
	@echo "Intervisie runs on $(SITE_URL)/  (stop with Ctrl+C)"
	$(RUN_ENV) $(RUN_BIN)/python -m intervisie.serve --bind $(HOST) --port $(PORT) --websocket_timeout 86400 \
		--websocket_connect_timeout 30 intervisie.asgi:application

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv*
	$(BIN)/python manage.py compilemessages --ignore=.venv*

clean:
	rm -rf $(VENV) $(RUN_VENV) $(LOCK_VENV) .pytest_cache staticfiles build *.egg-info
