"""Settings for Intervisie, read from the environment (django-environ).

With nothing set: development mode, SQLite and the in-memory channel layer, so that one command
runs the app. Production: INTERVISIE_PRODUCTION=1 plus SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL=postgres://… and REDIS_URL=redis://… (see docs/deploy.md).
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.bool("INTERVISIE_PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Daphne first: its runserver replaces Django's so websockets work in development.
    "daphne",
    "intervisie.admin_site.IntervisieAdminConfig",  # django.contrib.admin, our wording
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "channels",
    "django_htmx",
    "template_partials",
    "common",
    "privacy",
    "methods",
    "groups",
    "cases",
    "sessions_app",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "groups.preferences.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After every middleware that reads the request's user, as django-axes asks: turns a
    # locked-out sign-in into its answer (intervisie/signin.py).
    "axes.middleware.AxesMiddleware",
    # Innermost: while the database is away, answer "even geduld" before anything reads it.
    "intervisie.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "intervisie.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% partialdef %} everywhere: the same partials render pages and websocket pushes.
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "intervisie.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A waiting writer beats "database is locked" when phones post at the same moment.
    # Write-ahead log: readers never wait for a writer, and a commit appends to the log instead
    # of an fsync'd rollback journal (synchronous=NORMAL survives a crash of the server; only a
    # power cut can lose the last commits).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not :memory:, so that browser tests' Daphne subprocess sees the same data; one
    # per test process, so that parallel runs never share it.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "INTERVISIE_TEST_DB",
        default=str(Path(tempfile.gettempdir()) / f"intervisie-test-{os.getpid()}.sqlite3"),
    )
# Under ASGI every request runs in a thread of its own: no persistent connections. PostgreSQL
# takes its connections from a pool instead (psycopg_pool): opening one costs ~7 ms of
# authentication per request and per websocket handshake otherwise (bench/README.md).
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Except SQLite's: a file, no server, nothing to run out of. The websocket consumers' database
    # calls all run on one thread, which then keeps its connection instead of opening the file
    # and registering SQLite's functions ~4 times per connecting phone (bench/README.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("SQLITE_CONN_MAX_AGE", default=600)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_POOL", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        # Seconds a request waits for a connection. Never reached in normal operation (the
        # threads that use connections are fewer than max_size, intervisie/http.py); when
        # PostgreSQL is down, the pool does not fail a waiting request but lets it wait this long,
        # and only then does the database gate close (common/availability.py).
        "timeout": env.float("DB_POOL_TIMEOUT", default=3.0),
    }
    # The pool checks a connection before lending it (one empty round trip): after a PostgreSQL
    # restart its idle connections are dead, and each would fail one request otherwise.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, exactly channels_redis's
                # 5 s BZPOPMIN wait: an idle consumer then dies with TimeoutError (socket closed
                # 1011 after 5 quiet seconds). Read timeout well above the server-side wait.
                # redis-py's asyncio pool refuses (MaxConnectionsError) beyond 100 connections
                # instead of waiting: a reconnect surge of hundreds of phones needs more at once.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "max_connections": env.int("REDIS_MAX_CONNECTIONS", default=1000),
                    }
                ],
                # A phone that cannot keep up loses old fragments, never the room: every push
                # is a full replacement, and a reconnect gets a fresh snapshot.
                "capacity": env.int("CHANNEL_CAPACITY", default=200),
                "expiry": 30,
                "group_expiry": 86400,
            },
        }
    }
else:
    # One process, no Redis: the in-memory layer, minus its sweep of every queue per receive.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "intervisie.channel_layers.SweepingInMemoryChannelLayer"}
    }

# Rate limits (common/ratelimit.py) count in a cache every server process shares: Redis, on the
# channel layer's server but another database number (LIMITS_REDIS_URL to choose), else a
# database table (created by common's migration). Sessions keep the default local cache.
LIMITS_REDIS_URL = env.str("LIMITS_REDIS_URL", default="")
if REDIS_URL and not LIMITS_REDIS_URL:
    _parts = urlsplit(REDIS_URL)
    _db = int((_parts.path or "/0").strip("/") or 0)
    LIMITS_REDIS_URL = urlunsplit(_parts._replace(path=f"/{(_db + 1) % 16}"))
RATE_LIMIT_CACHE = "limits"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    RATE_LIMIT_CACHE: (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LIMITS_REDIS_URL}
        if LIMITS_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "intervisie_cache",
            # Counters must not be culled to make room (that would forgive a guesser).
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    ),
}
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# common/addresses.py. Empty: every request's address is its direct peer.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# (limit, seconds): at most `limit` events in any `seconds`. Tuned in sessions_app/joining.py's
# docstring: a whole office joins, a guesser gets ~50 tries an hour.
RATE_LIMITS = {
    # Wrong (or expired) join codes from one client address.
    "join.wrong.address": (env.int("JOIN_WRONG_PER_HOUR", default=50), 3600),
    # Wrong codes from everyone; beyond this level every address is slowed to the alarm rate.
    "join.wrong.alarm_level": (env.int("JOIN_GUESS_ALARM", default=600), 600),
    "join.wrong.address_in_alarm": (1, 180),
    # New client addresses looking up one valid code (a leaked code shared widely).
    "join.code.new_addresses": (60, 600),
    # Guest sign-ups, from one address and into one room.
    "guest.signup.address": (12, 3600),
    "guest.signup.code": (12, 3600),
    # Password-reset mails: to one email address, and asked for by one client address.
    "password_reset.email": (3, 3600),
    "password_reset.address": (10, 3600),
}
# A room's code works while the room runs; a lobby never started stops taking it after this.
JOIN_CODE_LOBBY_HOURS = env.float("JOIN_CODE_LOBBY_HOURS", default=12.0)

# Sign-in throttling (django-axes, see README): failures count per account AND address together,
# so nobody can lock a member out from elsewhere. intervisie/signin.py answers a lock-out.
AUTHENTICATION_BACKENDS = [
    "intervisie.signin.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
# A retry while locked out does not push the end further: the wait we state stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "common.addresses.client_ip"
AXES_USERNAME_CALLABLE = "intervisie.signin.username_of"
AXES_LOCKOUT_CALLABLE = "intervisie.signin.locked_out"
# No log of every successful sign-in (address and browser of each member): not needed, not kept.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Pushes (sessions_app/delivery.py): a group send that takes longer than PUSH_TIMEOUT seconds
# counts as failed (logged, resent when the layer answers; the command stands). PUSH_RESEND=0
# leaves catching up to the reconnect snapshots alone.
PUSH_TIMEOUT = env.float("PUSH_TIMEOUT", default=2.0)
PUSH_RESEND = env.bool("PUSH_RESEND", default=True)

# Presence (sessions_app/presence.py): every server process stamps its heartbeat this often, and
# counts out the sockets of a process unseen for PRESENCE_TIMEOUT seconds (a crashed one).
PRESENCE_HEARTBEAT = env.float("PRESENCE_HEARTBEAT", default=10.0)
PRESENCE_TIMEOUT = env.float("PRESENCE_TIMEOUT", default=30.0)
# Online meetings (sessions_app/roll.py): a connection that drops this many seconds is skipped in
# the turn orders; a phone that changes networks is back well within it.
ROOM_DROPOUT_GRACE = env.float("ROOM_DROPOUT_GRACE", default=15.0)
# Sockets one room member may hold at once (sessions_app/sockets.py): a phone that reloads, a
# laptop and a projector stay below; beyond it the oldest are closed.
ROOM_SOCKETS_PER_MEMBER = env.int("ROOM_SOCKETS_PER_MEMBER", default=5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if env.bool("INTERVISIE_FAST_PASSWORD_HASHING", default=False):
    # Tests only (also for their Daphne subprocess): real hashing costs half a second a user.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Collected static files: hashed names (cached for a year) and pre-compressed copies that
# WhiteNoise serves. Production, and `make run` (INTERVISIE_COLLECTED_STATIC=1, after
# collectstatic); the tests and a bare `daphne` serve the app folders as they are.
COLLECTED_STATIC = env.bool("INTERVISIE_COLLECTED_STATIC", default=PRODUCTION)
STATIC_ROOT = (
    env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles") if COLLECTED_STATIC else None
)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "intervisie.staticstorage.CollectedStaticStorage"
            if COLLECTED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
# Collected files do not change while the server runs: hashed names are cached for good.
WHITENOISE_AUTOREFRESH = DEBUG and not COLLECTED_STATIC

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where links in emails point (no request to take the host from when cron sends a reminder).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Intervisie <intervisie@localhost>")

# Security headers; the production block makes `manage.py check --deploy` clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Every command and every socket reads the session: keep it in the cache, backed by the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp 4): no inline scripts anywhere, every asset self-hosted.
# Styles need no 'unsafe-inline': templates carry no style="" attributes and base.html turns off
# htmx's injected indicator <style> (htmx-config meta). connect-src 'self' covers the room's
# same-origin websocket (ws:/wss:) in current browsers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
