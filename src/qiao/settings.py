"""Django settings for Qiao.

Every value can come from an environment variable (``QIAO_*``) or from a TOML
config file named by ``QIAO_CONFIG`` (keys are the variable names without the
``QIAO_`` prefix, lower case).  Defaults are safe for production: ``DEBUG`` is
off and a secret key is required unless ``QIAO_MODE`` is ``demo`` or ``test``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

_FILE_CONFIG: dict = {}
if os.environ.get("QIAO_CONFIG"):
    with open(os.environ["QIAO_CONFIG"], "rb") as fh:
        _FILE_CONFIG = tomllib.load(fh)


def config(name: str, default=None):
    """Return setting ``name`` from the environment (``QIAO_NAME``) or the config file."""
    env = os.environ.get(f"QIAO_{name.upper()}")
    if env is not None:
        return env
    return _FILE_CONFIG.get(name.lower(), default)


def config_bool(name: str, default: bool = False) -> bool:
    """Return a boolean setting; accepts 1/0, true/false, yes/no, on/off."""
    value = config(name, None)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


MODE = str(config("mode", "production")).lower()
if MODE not in {"demo", "test", "production"}:
    raise ImproperlyConfigured("QIAO_MODE must be demo, test or production")

DEBUG = config_bool("debug", default=False)
DATA_DIR = Path(config("data_dir", REPO_DIR / "var")).resolve()

SECRET_KEY = config("secret_key")
if not SECRET_KEY:
    if MODE == "production":
        raise ImproperlyConfigured(
            "QIAO_SECRET_KEY is required in production (set QIAO_MODE=demo for a trial run)"
        )
    SECRET_KEY = f"insecure-{MODE}-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip() for h in str(config("allowed_hosts", "127.0.0.1,localhost")).split(",") if h.strip()
]
if MODE == "test":
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in str(config("csrf_trusted_origins", "")).split(",") if o.strip()
]


def database_from_url(url: str) -> dict:
    """Translate ``sqlite:///path`` or ``postgres://user:pw@host:port/db`` to a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/") and url.startswith("sqlite:///") and not url.startswith(
            "sqlite:////"
        ):
            path = path[1:]
        name = Path(path) if Path(path).is_absolute() else REPO_DIR / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(f"Unsupported QIAO_DATABASE_URL scheme: {parts.scheme!r}")


DATABASES = {
    "default": database_from_url(
        str(config("database_url", f"sqlite:///{DATA_DIR / 'qiao.sqlite3'}"))
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "qiao.core",
    "qiao.people",
    "qiao.organizers",
    "qiao.organizations",
    "qiao.profiles",
    "qiao.events",
    "qiao.meetings",
    "qiao.exchange",
    "qiao.recommendations",
    "qiao.brokerage",
    "qiao.portal",
    "qiao.orga",
    "qiao.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qiao.core.middleware.UserPreferencesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "qiao.urls"
WSGI_APPLICATION = "qiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qiao.core.context_processors.qiao",
            ],
        },
    }
]

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if MODE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("de", "Deutsch"), ("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
TIMEZONES = ["Europe/Berlin", "Asia/Shanghai", "Europe/Vienna", "Europe/Zurich", "UTC"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files in every mode; without collectstatic (demo, tests)
# it finds them through the staticfiles finders.
WHITENOISE_USE_FINDERS = MODE != "production"
WHITENOISE_AUTOREFRESH = MODE != "production"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Size limits protecting the server.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
QIAO_MAX_LOGO_BYTES = 1024 * 1024
QIAO_MAX_LOGO_PIXELS = 4000
QIAO_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
QIAO_MAX_IMPORT_BYTES = 50 * 1024 * 1024
QIAO_PROFILE_VALIDITY_DAYS = int(config("profile_validity_days", 365))

EMAIL_BACKEND = (
    "django.core.mail.backends.locmem.EmailBackend"
    if MODE == "test"
    else (
        "django.core.mail.backends.smtp.EmailBackend"
        if config("email_host")
        else "django.core.mail.backends.console.EmailBackend"
    )
)
EMAIL_HOST = config("email_host", "127.0.0.1")
EMAIL_PORT = int(config("email_port", 25))
EMAIL_HOST_USER = config("email_user", "")
EMAIL_HOST_PASSWORD = config("email_password", "")
EMAIL_USE_TLS = config_bool("email_use_tls", False)
DEFAULT_FROM_EMAIL = config("default_from_email", "Qiao <noreply@qiao.invalid>")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if config_bool("tasks_immediate", MODE == "test")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if MODE == "production" and not DEBUG:
    SESSION_COOKIE_SECURE = config_bool("secure_cookies", True)
    CSRF_COOKIE_SECURE = config_bool("secure_cookies", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "qiao": {"handlers": ["console"], "level": config("log_level", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Absolute address of this installation, used in links inside emails and calendar files.
QIAO_BASE_URL = str(config("base_url", "http://127.0.0.1:8000")).rstrip("/")
