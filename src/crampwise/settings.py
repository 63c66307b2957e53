"""Django settings, read only from CRAMPWISE_* environment variables (see docs/settings.md)."""

from __future__ import annotations

from pathlib import Path

from crampwise import env

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.env_bool("DEBUG", False)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "crampwise.accounts",
    "crampwise.diary",
    "crampwise.guidance",
    "crampwise.trials",
    "crampwise.api",
    "crampwise.clinician",
    "crampwise.reminders",
    "crampwise.series",
]

# Background work (reminders, summaries) is queued in the database and run by `crampwise worker`
# (`crampwise serve` starts one). Tests swap in the immediate backend where they need it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages, exports and token API calls: Cache-Control: private, no-store.
    "crampwise.cache_headers.PrivateCacheMiddleware",
    "crampwise.accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "crampwise.urls"
WSGI_APPLICATION = "crampwise.wsgi.application"
# Form widgets may use the project's templates (large radio rows).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "crampwise.accounts.context.night_mode",
            ],
        },
    }
]

DATABASES = {"default": env.database_config(env.env_str("DATABASE_URL", ""), DATA_DIR)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    env.protect_sqlite_files(Path(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "crampwise.accounts.backends.ProfileModelBackend",
    "crampwise.accounts.backends.ProfileAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# allauth: username or email; email is optional because many self-hosters have no mail server.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_ALLOW_SIGNUPS = env.env_bool("ALLOW_SIGNUPS", True)
ACCOUNT_ADAPTER = "crampwise.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "crampwise.accounts.forms.SignupZoneForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

EMAIL_BACKEND = env.env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "crampwise@localhost")

# allauth's rate limits live in the cache; a cache shared by every app server makes them real.
_REDIS_URL = env.env_str("REDIS_URL", "")
if _REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = env.env_str("LANGUAGE", "en")
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the package's static folders: `crampwise serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

HTTPS = env.env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preload is a lasting promise to serve HTTPS only; on by default with HTTPS, can be turned off.
SECURE_HSTS_PRELOAD = env.env_bool("HSTS_PRELOAD", HTTPS)
if env.env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions in the database: every gunicorn worker (and every app server) sees the same ones, so
# signing out anywhere signs out everywhere at once. With a shared Redis cache, cached_db reads them
# from the cache first; a per-process (local-memory) cache would let one worker keep serving a
# session another worker has already ended, and a database cache is one more table to read than
# the session table itself.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if _REDIS_URL else "db")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
    }
}

# Web push (docs/reminders.md): a browser's push endpoint must be https; tests and a local push
# service may also use http://127.0.0.1.
PUSH_ALLOW_HTTP_LOOPBACK = env.env_bool("PUSH_ALLOW_HTTP_LOOPBACK", False)

# REST API throttling (docs/api.md, "Throttling").
API_RATE_PER_TOKEN = env.env_str("API_RATE_PER_TOKEN", "300/min")
API_RATE_PER_IP = env.env_str("API_RATE_PER_IP", "600/min")

LOG_LEVEL = env.env_str("LOG_LEVEL", "INFO")
# A share link's path holds its token, and Django's loggers write request paths ("Not Found:
# /s/<token>/", a 500's traceback, a CSRF refusal). The filter blanks the token on those loggers
# (before any handler, the test capture included) and on the console handler for anything else.
_REDACTED_LOGGERS = ("django.request", "django.security.csrf")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_share_tokens": {"()": "crampwise.clinician.core.logs.RedactShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_share_tokens"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        **{name: {"filters": ["redact_share_tokens"]} for name in _REDACTED_LOGGERS},
    },
}
