# The two commands of the README: `make run` and `make test`. Everything lives in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Links (the demo's, and those in emails) point where this server listens, unless SITE_URL says
# otherwise; static files are collected: compressed, with hashed names, as in production.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV = SITE_URL=$(SITE_URL) INTERVISIE_COLLECTED_STATIC=1

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py demo
	@echo "Intervisie runs on $(SITE_URL)/  (stop with Ctrl+C)"
	$(RUN_ENV) $(BIN)/python -m intervisie.serve --bind $(HOST) --port $(PORT) --websocket_timeout 86400 \
		--websocket_connect_timeout 30 intervisie.asgi:application

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
