"""Django settings, driven by the environment.

Two modes, chosen by `DJANGO_ENV`:

- unset / `development` (the default): DEBUG on, a fixed dev SECRET_KEY, SQLite under ./var,
  console email. Convenient locally, never safe to expose.
- `production`: DEBUG off unless asked for, SECRET_KEY and ALLOWED_HOSTS required, HTTPS-only
  cookies, HSTS and SSL redirect on — `manage.py check --deploy` passes (a test pins this).

Every setting that differs between deployments is an environment variable; see docs/platform.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root (src/stepahead/config/…)
VAR_DIR = Path(os.environ.get("STEPAHEAD_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development").strip().lower()
PRODUCTION = ENVIRONMENT == "production"
DEBUG = _flag("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION or not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production or DEBUG is off")
    SECRET_KEY = "django-insecure-dev-only-stepahead-key-never-use-in-production"
elif PRODUCTION and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    # Django's own deploy check only warns; a guessable key signs sessions and password resets.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`'
    )

ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Insights pages serve figures computed in the background (a stored snapshot per page and
# filter set). They are recomputed when older than INSIGHTS_MAX_AGE_SECONDS, or when lifecycle
# records changed and the last computation is at least INSIGHTS_MIN_REFRESH_SECONDS old; a
# computation silent for INSIGHTS_COMPUTE_TIMEOUT_SECONDS is taken as lost and asked again.
# INSIGHTS_CACHE_SECONDS keeps the filter form's values (a distinct scan of every person).
INSIGHTS_MAX_AGE_SECONDS = int(os.environ.get("INSIGHTS_MAX_AGE_SECONDS", "900"))
INSIGHTS_MIN_REFRESH_SECONDS = int(os.environ.get("INSIGHTS_MIN_REFRESH_SECONDS", "60"))
INSIGHTS_COMPUTE_TIMEOUT_SECONDS = int(os.environ.get("INSIGHTS_COMPUTE_TIMEOUT_SECONDS", "900"))
INSIGHTS_CACHE_SECONDS = int(os.environ.get("INSIGHTS_CACHE_SECONDS", "300"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "stepahead.web",  # before allauth, so the web app's account templates (styled like the rest) win
    "allauth",
    "allauth.account",
    "django_htmx",
    "ninja",  # serves /api/docs with its bundled Swagger UI (the CSP blocks the CDN copy)
    "stepahead.worker",  # before django_tasks_db: its `db_worker` waits out a locked database
    "django_tasks_db",
    "stepahead.organisations",
    "stepahead.people",
    "stepahead.programmes",
    "stepahead.partnerships",
    "stepahead.matchruns",
    "stepahead.mail",
    "stepahead.lifecycle",
    "stepahead.insights",
    "stepahead.feedback",
    "stepahead.nudges",
    "stepahead.concerns",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "stepahead.config.urls"
WSGI_APPLICATION = "stepahead.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------------------------------

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'stepahead.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to one SQLite file. WAL lets pages read while a
    # match run stores its proposals; IMMEDIATE transactions take the write lock up front (a
    # deferred one that must upgrade fails at once with "database is locked"), and `timeout`
    # (SQLITE_BUSY_TIMEOUT, seconds) makes a writer wait its turn instead of failing. Imports
    # write in short batches so that no writer waits long.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process and the worker: login rate limits live here, so they hold
# across processes and restarts. The table is created by a migration (organisations 0002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stepahead_cache",
    }
}

# Background work (match runs, outbound mail) is stored in the database and run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Nudges (`manage.py send_nudges` from cron, or the `send_nudges` task): a partnership with no
# session for its cadence plus NUDGE_GRACE_DAYS is nudged; NUDGE_SEND_INTERVAL seconds pass
# between two nudges of a batch (spares a rate-limited mail relay; 0 sends at once).
NUDGE_GRACE_DAYS = int(os.environ.get("NUDGE_GRACE_DAYS", "3"))
NUDGE_SEND_INTERVAL = float(os.environ.get("NUDGE_SEND_INTERVAL", "0"))
# Nudges committed per transaction (with their outbox emails): fewer commits, same guarantees.
NUDGE_BATCH_SIZE = int(os.environ.get("NUDGE_BATCH_SIZE", "50"))

# A running match run's worker renews its lease every sixth of this; a run not renewed for this
# long is given up as failed (its worker was killed or crashed) and the programme can run again.
MATCH_RUN_LEASE_SECONDS = float(os.environ.get("MATCH_RUN_LEASE_SECONDS", "120"))

# --- accounts -------------------------------------------------------------------------------------

# One backend: allauth's (a ModelBackend) hashes exactly once per attempt, for a right or wrong
# password and for an unknown address alike. With Django's ModelBackend listed too, a wrong
# password was hashed twice, so a correct one answered measurably faster.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
# Mandatory verification: an address proves who a login is before it is linked to a person in the
# directory, and signing up with a registered address reveals nothing (allauth then mails the
# owner instead; ACCOUNT_PREVENT_ENUMERATION is on by default). Password resets for unknown
# addresses send nothing.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Failed logins: 5 per 5 minutes per account *and* client address (so nobody can lock a colleague
# out from elsewhere), 30 a minute per client address. Kept in the shared cache above.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,5/300s/key"}
# Behind N reverse proxies, the client is the Nth address from the right of X-Forwarded-For;
# with 0 (the default) X-Forwarded-For is ignored and the socket's address is the client.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Account mail goes through the outbox; failed-login limits are keyed on account and client address.
ACCOUNT_ADAPTER = "stepahead.web.account_adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# --- email ----------------------------------------------------------------------------------------

# Django 6.1 MAILERS. EMAIL_BACKEND picks the backend: console in development (mail is printed),
# SMTP in production; the SMTP backend reads EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD and EMAIL_USE_TLS.
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": _flag("EMAIL_USE_TLS", default=False),
    # A hung SMTP server must not hold a worker: the outbox retries later instead.
    "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "StepAhead <noreply@stepahead.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- static files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
# Outside production WhiteNoise serves from the apps' static folders, so the demo (DEBUG off,
# no collectstatic) still has its styles.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- security -------------------------------------------------------------------------------------

# Strict CSP: scripts only from our origin or carrying the per-request nonce (templates use
# `{{ csp_nonce }}`); no inline styles or scripts, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if _flag("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n / misc ----------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's default config gives "django" a console handler of its own as well: without this,
    # every django.* record (task worker lines, request errors) would print twice under DEBUG.
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}
