"""One settings file, configured by environment variables (README, "Configuration").

Works on SQLite with no configuration at all; set DATABASE_URL for PostgreSQL. Importing it
never touches the disk: the entry points make the data folder (config.prepare_data_home).
"""

from __future__ import annotations

import ipaddress
import logging
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from kratom_recovery.web.config import (
    MIN_SECRET_KEY,
    SQLITE_NAME,
    ConfigError,
    data_home,
    envbool,
    envint,
    envlist,
    envsecret,
    secret_key,
    served_languages,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_HOME = data_home()

DEBUG = envbool("DEBUG", False)
SECRET_KEY = secret_key(DATA_HOME)  # "" until an entry point has made the key file
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kratom_recovery.web.common",  # template tags only (clinic_time); no models
    "django_otp",
    "django_otp.plugins.otp_totp",  # the authenticator app's codes
    "django_otp.plugins.otp_static",  # backup codes (stored hashed: accounts/twofactor.py)
    "kratom_recovery.web.accounts",
    "kratom_recovery.web.audit",
    "kratom_recovery.web.patients",
    "kratom_recovery.web.program",
    "kratom_recovery.web.clinic",
    "kratom_recovery.web.api",
    "kratom_recovery.web.safety",
    "kratom_recovery.web.tapers",
    "kratom_recovery.web.recovery",
    "kratom_recovery.web.exports",
    "kratom_recovery.web.followup",
    "kratom_recovery.web.bedside",
    "kratom_recovery.web.messaging",
    "kratom_recovery.web.notify",  # its jobs (notify/jobs.py) load the queue when first used
]

MIDDLEWARE = [
    "kratom_recovery.web.middleware.HeadAsGetMiddleware",  # outermost: HEAD answered as GET
    "kratom_recovery.web.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kratom_recovery.web.api.middleware.JsonErrorsMiddleware",  # outermost but one: sees all
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor given
    "django.contrib.messages.middleware.MessageMiddleware",
    "kratom_recovery.web.accounts.middleware.StaffSessionMiddleware",  # idle and max age
    "kratom_recovery.web.accounts.middleware.SecondFactorMiddleware",  # staff enrol first
    "kratom_recovery.web.middleware.ViewerTimezoneMiddleware",
    "kratom_recovery.web.middleware.AccountLanguageMiddleware",  # saved choice; staff: English
    "kratom_recovery.web.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "kratom_recovery.web.urls"
WSGI_APPLICATION = "kratom_recovery.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "kratom_recovery.web.notify.context.delivery_banner",
                "kratom_recovery.web.messaging.context.unread_messages",
            ],
        },
    }
]

# SQLite by default (WAL, IMMEDIATE transactions, busy timeout: the fastest stack setup measured);
# DATABASE_URL selects PostgreSQL. It may hold the password, so DATABASE_URL_FILE, or a URL
# without one and DATABASE_PASSWORD_FILE, keeps it out of the environment. Lower-case names:
# not settings, so never shown on a debug page.
SQLITE_PATH = DATA_HOME / SQLITE_NAME
if database_url := envsecret("DATABASE_URL", ""):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60,
                                                  conn_health_checks=True)}
    if database_password := envsecret("DATABASE_PASSWORD", ""):
        DATABASES["default"]["PASSWORD"] = database_password
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # secure_delete: deleted rows are overwritten with zeros in the file, so an
                # account deletion leaves no readable remains in the live database
                # (docs/data-rights.md says what happens to backups).
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                 "PRAGMA secure_delete=ON;"),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# No state in the app process: sessions and cache live in the database, so several app
# servers can share one PostgreSQL.
SESSION_ENGINE = "kratom_recovery.web.accounts.session_store"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kratom_recovery_cache",
    }
}

# Sessions load the user with a patient's own record in one query (patients/signin.py); the
# plain ModelBackend keeps sessions signed in before that backend valid.
AUTHENTICATION_BACKENDS = [
    "kratom_recovery.web.patients.signin.SessionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = served_languages(LOCALE_PATHS[0], LANGUAGE_CODE)  # only what we can really serve
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers and cookies. Cookies are Secure unless SECURE_COOKIES=false (plain-HTTP
# development on a LAN address; loopback counts as a secure context in current browsers).
SECURE_COOKIES = envbool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# The language a person picks on their account page (docs/translation.md): no health data.
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
# A session is saved (and its expiry pushed back) only when it changes, so the caseload's
# background poll (web/common/polling.py) never keeps an idle session alive.
SESSION_SAVE_EVERY_REQUEST = False
# Accounts (docs/operations.md, "Accounts and sign-in"). Staff sessions end after
# STAFF_IDLE_MINUTES without a request of their own (background polls do not count) and
# STAFF_SESSION_HOURS after sign-in; patients keep SESSION_COOKIE_AGE.
STAFF_IDLE_MINUTES = envint("STAFF_IDLE_MINUTES", 30, low=5, high=24 * 60)
STAFF_SESSION_HOURS = envint("STAFF_SESSION_HOURS", 12, low=1, high=72)
# Clinician and admin API tokens expire this many days after creation.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90, low=1, high=3650)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma list);
# empty: the direct peer is the client (accounts/client.py).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigError("TRUSTED_PROXIES", "must be IP addresses or networks (e.g. "
                                             f"10.0.0.0/8), comma-separated; got {_proxy!r}"
                          ) from None
PASSWORD_RESET_TIMEOUT = 15 * 60  # e-mailed reset links live 15 minutes
OTP_TOTP_ISSUER = "Kratom recovery"
# One throttle for every sign-in step (accounts/throttle.py), so django-otp's own is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind an HTTPS proxy, redirect plain HTTP and send HSTS (one year) unless told otherwise.
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if BEHIND_HTTPS_PROXY else 0,
                             low=0, high=2 * 31_536_000)
# Whole-domain decisions the operator makes (every subdomain on HTTPS; the browsers' preload
# list), so off unless set; docs/operations.md's production settings turn both on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Keys the per-patient date shift and research ids of the de-identified CSV (docs/export.md).
# Unset, it is derived from SECRET_KEY; set it to keep research ids stable across key changes.
RESEARCH_SALT = envsecret("RESEARCH_SALT", "")

# Where links in e-mails point (reminders are sent by a command, outside any request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# With EMAIL_HOST set, e-mail goes out over SMTP; without, to the console (no channel: alerts
# then reach nobody by e-mail, and the staff pages say so).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "reminders@localhost")  # neutral
# For the SMTP backend (django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25, low=1, high=65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_SSL", "set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL, not both")

# A paging system (or any receiver) gets a signed JSON POST for each urgent alert
# (docs/operations.md, "Alert delivery"). The secret signs it; a URL without one is refused.
ALERT_WEBHOOK_URL = envsecret("ALERT_WEBHOOK_URL", "")  # may hold a token
ALERT_WEBHOOK_SECRET = envsecret("ALERT_WEBHOOK_SECRET", "")
if ALERT_WEBHOOK_URL and not ALERT_WEBHOOK_URL.startswith(("https://", "http://")):
    raise ConfigError("ALERT_WEBHOOK_URL", "must start with https:// or http://")
if ALERT_WEBHOOK_URL and len(ALERT_WEBHOOK_SECRET) < MIN_SECRET_KEY:
    raise ConfigError("ALERT_WEBHOOK_SECRET", f"must be at least {MIN_SECRET_KEY} characters "
                                              "when ALERT_WEBHOOK_URL is set")

# Background jobs (Huey): alert delivery, retries, escalation, the digest, reminders and the
# safety sweep, run by `kratom-recovery worker`. A SQLite queue in the data folder by
# default; Redis with REDIS_URL (several app servers). HUEY_IMMEDIATE runs each job inline
# in the process that queues it (tests; a single process without a worker); it is never
# implied by DEBUG.
REDIS_URL = envsecret("REDIS_URL", "")  # may hold a password
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
HUEY_QUEUE = os.environ.get("HUEY_QUEUE") or "kratom-recovery"
# Polling: 0.1 s after work, backing off to at most 1 s when idle (alert latency).
HUEY_CONSUMER: dict[str, object] = {
    "workers": 2, "worker_type": "thread", "initial_delay": 0.1, "backoff": 1.15,
    "max_delay": 1.0, "periodic": True, "check_worker_health": True,
}
HUEY = {
    "name": HUEY_QUEUE,
    "immediate": HUEY_IMMEDIATE,
    "results": False,  # jobs report through the database (Delivery rows), not the queue
    "utc": True,
    **({"huey_class": "huey.RedisHuey", "url": REDIS_URL} if REDIS_URL else
       {"huey_class": "huey.SqliteHuey", "filename": str(DATA_HOME / "jobs.sqlite3")}),
    "consumer": HUEY_CONSUMER,
}

# Logs: never PHI. Request bodies, names and free text are not logged; audit entries live
# in the database (audit app), not in log files.
LOG_DIR = DATA_HOME / "logs"
# A database error is logged as its class, route and request id only: its text holds the
# values it failed on (web/logs.py). SQL statements are never logged, whatever LOG_LEVEL.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
if LOG_LEVEL not in LOG_LEVELS:
    raise ConfigError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, "
                                   f"got {os.environ['LOG_LEVEL']!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_db": {"()": "kratom_recovery.web.logs.RedactDatabaseErrors"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "bare": {"format": "%(message)s"}},  # the request log's JSON lines
    "handlers": {
        "requests_console": {"class": "logging.StreamHandler", "formatter": "bare"},
        "requests_file": {
            "class": "kratom_recovery.web.logs.PrivateFileHandler",
            "filename": LOG_DIR / "requests.log",
            "maxBytes": 5_000_000,
            "backupCount": 3,
            "delay": True,
            "formatter": "bare",
        },
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["redact_db"]},
        "file": {
            "class": "kratom_recovery.web.logs.PrivateFileHandler",
            "filename": LOG_DIR / "app.log",
            "maxBytes": 5_000_000,
            "backupCount": 3,
            "delay": True,  # opened at the first record, not when logging is configured
            "formatter": "plain",
            "filters": ["redact_db"],
        },
    },
    "loggers": {
        # Only our handlers: Django's own (console when DEBUG, mail_admins) are unfiltered.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # One JSON line per request (web/logs.py); REQUEST_LOG=off silences it.
        "kratom_recovery.requests": {
            "handlers": ["requests_console", "requests_file"], "propagate": False,
            "level": "INFO" if envbool("REQUEST_LOG", True) else "CRITICAL",
        },
        # Its DEBUG records are statements with their parameters.
        "django.db.backends": {
            "level": max(logging.INFO, logging.getLevelNamesMapping()[LOG_LEVEL])
        },
    },
    "root": {"handlers": ["console", "file"], "level": LOG_LEVEL},
}
