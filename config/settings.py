"""Revisewise settings: every value comes from the environment, and none is needed locally.

Every variable read here is listed in .env.example and docs/settings.md (a test checks both).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from revisewise.core.db import sqlite_database
from revisewise.core.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REVISEWISE_VAR_DIR", str(BASE_DIR / "var")))

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Old keys still accepted after a rotation: signed values and encrypted secrets made with them
# stay readable (docs/privacy.md explains rotating the key).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
IS_PRODUCTION = env_bool("REVISEWISE_PRODUCTION", False)
if IS_PRODUCTION and (DEBUG or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Production needs DJANGO_DEBUG=false and a DJANGO_SECRET_KEY of at least 50 characters "
        "that is not the development key."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "revisewise.core",
    "revisewise.accounts",
    "revisewise.content",
    "revisewise.practice",
    "revisewise.scheduling",
    "revisewise.marking",
    "revisewise.tutor",
    "revisewise.progress",
    "revisewise.llmlog",
    "revisewise.search",
    "revisewise.audit",
    "revisewise.privacy",
    "revisewise.centres",
    "revisewise.epa",
    "revisewise.discussion",
    "revisewise.moderation",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["revisewise.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "content:home"
LOGOUT_REDIRECT_URL = "content:home"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "revisewise.accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    database = sqlite_database(
        VAR_DIR / "revisewise.sqlite3",
        timeout_seconds=env_int("SQLITE_TIMEOUT_SECONDS", 20, minimum=1),
    )
    database["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or None}
    return database


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_bool("TASKS_USE_WORKERS", False)
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
)
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Sign-in lockout: this many failures for one email, from any address, within the window lock
# that email for the window (docs/settings.md).
ACCOUNTS_SIGN_IN_MAX_FAILURES = env_int("ACCOUNTS_SIGN_IN_MAX_FAILURES", 5, minimum=1)
ACCOUNTS_SIGN_IN_LOCKOUT_MINUTES = env_int("ACCOUNTS_SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1)
# Requests per hour before sign-up (per address) and password reset (per email, and four times
# as many per address) are refused for a while (docs/privacy.md).
ACCOUNTS_SIGN_UP_PER_HOUR = env_int("ACCOUNTS_SIGN_UP_PER_HOUR", 10, minimum=1)
ACCOUNTS_PASSWORD_RESET_PER_HOUR = env_int("ACCOUNTS_PASSWORD_RESET_PER_HOUR", 5, minimum=1)
# Retention, pruned by `manage.py prune_personal_data`: sign-in records and the audit log.
ACCOUNTS_SIGN_IN_RECORD_DAYS = env_int("ACCOUNTS_SIGN_IN_RECORD_DAYS", 30, minimum=1)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 2190, minimum=1)
# Who people write to about their data; shown on the privacy notice.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@revisewise.test")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Email: printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Revisewise <no-reply@revisewise.test>")

# Content import: the largest file the importer reads, in bytes (docs/content-format.md).
CONTENT_MAX_FILE_BYTES = env_int("CONTENT_MAX_FILE_BYTES", 1_048_576, minimum=1024)

# Mock knowledge tests (docs/epa.md): 0 means as the assessment plan says; grace in seconds.
EPA_MOCK_QUESTION_COUNT = env_int("EPA_MOCK_QUESTION_COUNT", 0, minimum=0)
EPA_MOCK_SECONDS = env_int("EPA_MOCK_SECONDS", 0, minimum=0)
EPA_ANSWER_GRACE_SECONDS = env_int("EPA_ANSWER_GRACE_SECONDS", 2, minimum=0)

# Offline AI: any sentence-transformers model name or path; empty means the bundled MiniLM.
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL")

# Marking written answers (docs/marking.md, "In the product"): how long one try may take before
# the sweep re-queues it, how many tries before a person is asked, and how often (at most) the
# marking pages start the sweep; 0 leaves the sweep to `manage.py sweep_marking`.
MARKING_TIME_LIMIT_SECONDS = env_int("MARKING_TIME_LIMIT_SECONDS", 120, minimum=1)
MARKING_MAX_ATTEMPTS = env_int("MARKING_MAX_ATTEMPTS", 3, minimum=1)
MARKING_SWEEP_INTERVAL_SECONDS = env_int("MARKING_SWEEP_INTERVAL_SECONDS", 60, minimum=0)
# Where item texts' encodings are kept for every marking process and across restarts (never
# learners' answers); the empty string turns the persistent encoding cache off.
MARKING_ENCODING_CACHE_DIR = env_str(
    "MARKING_ENCODING_CACHE_DIR", str(VAR_DIR / "marking-encodings")
)

# Optional LLM: any OpenAI-compatible chat-completions endpoint; empty means offline (docs/llm.md).
LLM_BASE_URL = env_str("LLM_BASE_URL").rstrip("/")
LLM_MODEL = env_str("LLM_MODEL")
LLM_API_KEY = env_str("LLM_API_KEY")
LLM_TIMEOUT_SECONDS = env_float("LLM_TIMEOUT_SECONDS", 20.0)
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 1, minimum=0)
LLM_DAILY_TOKENS_PER_USER = env_int("LLM_DAILY_TOKENS_PER_USER", 50_000, minimum=0)
LLM_DAILY_TOKENS_GLOBAL = env_int("LLM_DAILY_TOKENS_GLOBAL", 1_000_000, minimum=0)
# The tutor's rate limits per learner (docs/tutor.md); 0 means no limit.
TUTOR_QUESTIONS_PER_MINUTE = env_int("TUTOR_QUESTIONS_PER_MINUTE", 6, minimum=0)
TUTOR_QUESTIONS_PER_DAY = env_int("TUTOR_QUESTIONS_PER_DAY", 150, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # httpx logs every request URL at INFO; a key put in a URL must never reach the logs.
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
