"""Settings for Hearings records, read from the environment.

Development needs no configuration: debug on, SQLite in the project folder,
local-memory cache. Production sets DJANGO_DEBUG=0 and at least
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see the README's table.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats

from hearings.domain import languages

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The site's public address (https://hearings.example.org), from which the calendar's UIDs and the feed's ids
# are made: identifiers must not change with the Host header a request happened to carry. Unset, they are
# made from the path alone (opendata/identifiers.py).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
if SITE_URL:
    _site = urlsplit(SITE_URL)
    if (
        _site.scheme not in {"http", "https"}
        or not _site.hostname
        or _site.username is not None
        or _site.path
        or _site.query
        or _site.fragment
    ):
        raise ImproperlyConfigured(
            "DJANGO_SITE_URL must be the site's address alone, scheme and host: https://hearings.example.org"
        )
    # Lower case, as URIs compare: `https://Hearings.Example.org` names the same site, and must give the same ids.
    SITE_URL = f"{_site.scheme}://{_site.netloc.lower()}"

INSTALLED_APPS = [
    # Record text in six languages; before the admin, whose forms it adapts.
    "modeltranslation",
    # django.contrib.admin, with the site of accounts.admin_site as admin.site
    "accounts.apps.HearingsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "nested_admin",
    "reversion",
    "import_export",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "hearings",
    "opendata",
    "accounts",
]

# The header middleware sits above WhiteNoise so that static files, which
# WhiteNoise answers without calling the rest of the stack, carry the same
# security headers as pages.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Addresses without a language prefix (open data, the admin) follow the reader's own language.
    "hearings.web.middleware.UnprefixedLanguageMiddleware",
    "hearings.web.middleware.NotModifiedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AdminSessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearings.web.middleware.HardeningMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that stops answering must fail requests in bounded time rather than hold workers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")),
            "options": f"-c statement_timeout={int(float(os.environ.get('DJANGO_DB_STATEMENT_TIMEOUT', '30')) * 1000)}",
        }
    )
# PostgreSQL: seconds a public page's statements may run (the admin and commands have the one above).
PUBLIC_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_PUBLIC_STATEMENT_TIMEOUT", "10"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an editor writes; a busy timeout avoids
    # "database is locked" under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hearings"),
            "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "3600")),
            # Short socket timeouts: a cache that hangs must not hold requests up (see hearings.pagecache).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25")),
            },
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hearings",
            "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "3600")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy://")

# The read API (opendata/api): JSON only, anonymous clients throttled per address in the shared cache.
# People and organizations from CSV or spreadsheet files in the admin (django-import-export). Between the
# check and the confirmation the file waits in the shared cache, so any app server can finish the import.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# What an import file may hold (hearings.limits; the README's import section). A file over a limit is refused
# whole, with a message, before it is read. The admin's hearing import checks, then imports, within one request's
# time (about 5 s for 100 hearings of 15 speakers); `manage.py import_hearings` has no time limit, only memory.
HEARING_IMPORT_MAX_BYTES = 5 * 1024 * 1024
HEARING_IMPORT_MAX_HEARINGS = 100
HEARING_IMPORT_MAX_RECORDS = 1_500  # hearings, segments, speakers, links and participating groups, in one file
HEARING_IMPORT_COMMAND_MAX_BYTES = 50 * 1024 * 1024
HEARING_IMPORT_COMMAND_MAX_HEARINGS = 10_000
HEARING_IMPORT_COMMAND_MAX_RECORDS = 100_000
HEARING_IMPORT_MAX_DEPTH = 16  # lists and objects within each other; a hearing file needs 9
IMPORT_MAX_ERRORS = 100  # errors shown of one import; the rest are counted
# People and organizations in CSV or XLSX, in the admin.
SPREADSHEET_IMPORT_MAX_BYTES = 5 * 1024 * 1024
SPREADSHEET_IMPORT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX workbook's members, as its zip declares them
SPREADSHEET_IMPORT_MAX_ROWS = 1_000  # about 6 s to check, and as long again to import
SPREADSHEET_IMPORT_MAX_COLUMNS = 100

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}
# Requests a client address may make to the API ("300/minute", "20/second"…); "off" for no limit.
API_ANON_RATE = (
    None if os.environ.get("API_ANON_RATE", "300/minute") == "off" else os.environ.get("API_ANON_RATE", "300/minute")
)
SPECTACULAR_SETTINGS = {
    "TITLE": "Hearings records API",
    "DESCRIPTION": "The public record of the multi-stakeholder hearings of the UN General Assembly, read-only.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api.schema.document_empty_filters_and_errors",
    ],
}
# Open data may be read from any web page, with GET only.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/.*|[a-z-]+\.(csv|ics)|hearings/feed/)$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Pages each process keeps in its own memory in front of the shared cache (0: none). Keyed by the data
# version like the shared cache, so never stale.
PAGE_MEMORY_CACHE_SIZE = int(os.environ.get("PAGE_MEMORY_CACHE_SIZE", "256"))
# Fragments of pages (a hearing's row, the parts of its page) each process keeps in its own memory likewise
# (0: none). Keyed by the version of the hearing they show, so never stale.
FRAGMENT_MEMORY_CACHE_SIZE = int(os.environ.get("FRAGMENT_MEMORY_CACHE_SIZE", "1024"))
# Seconds the site leaves the cache alone after it failed, serving pages without it.
CACHE_FAILURE_PAUSE = float(os.environ.get("CACHE_FAILURE_PAUSE", "5"))

# Accounts (the README's "Accounts"): sign-in lockout, two-factor sign-in, idle expiry.
#
# django-axes counts failed sign-ins in the database, so every app server sees
# them, and refuses any sign-in, the right password included, for a user name
# or from an address that reached AXES_FAILURE_LIMIT failures, until
# AXES_COOLOFF_MINUTES pass without another attempt.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# Proxies in front of the app servers that each append to X-Forwarded-For (0: none, REMOTE_ADDR is the
# client). The sign-in lockout, the sign-in log and the API throttle all take the client's address from it.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Every staff account must sign in with an authenticator app's code; off, only accounts that have one do.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Hearings records"
# Staff sign in through the admin: after signing in without a `next` address, or with one that is refused
# (another site's), an editor lands on the admin index, not on Django's default /accounts/profile/.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Keys stay with their owners: the device admin shows neither the key nor its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A signed-in session ends after this long without an admin request (accounts.middleware renews it).
SESSION_COOKIE_AGE = round(float(os.environ.get("SESSION_IDLE_HOURS", "8")) * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = languages.SOURCE_LANGUAGE
# The six official languages of the United Nations, and which of them the records' text is entered in first:
# hearings/domain/languages.py states the rules.
LANGUAGES = languages.LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# The records' text (hearings/translation.py names the fields): English is entered first and required, the other
# five are added as they come; a language without its own text shows the English one (marked as such).
MODELTRANSLATION_DEFAULT_LANGUAGE = languages.SOURCE_LANGUAGE
MODELTRANSLATION_LANGUAGES = languages.RECORD_LANGUAGES
MODELTRANSLATION_FALLBACK_LANGUAGES = languages.FALLBACK_LANGUAGES
MODELTRANSLATION_AUTO_POPULATE = False
# Dates, times and numbers in each language's own formats (Django's), English's as the UN writes them.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Form widgets render through the project's templates, so templates/widgets/ can shape the filter controls.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # stdout, not the StreamHandler default of stderr: the process manager or
    # container runtime collects one stream per process.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in and failure; accounts.signals logs failures and lockouts in one line each.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "ERROR"}},
}

# Security and production
#
# With DJANGO_DEBUG=0 every default below is the production one and
# `manage.py check --deploy` passes without a warning. The DJANGO_SECURE_*
# variables cover what the defaults cannot know, such as the reverse proxy.

# Old keys still accepted for signatures (sessions, password reset links)
# while a new DJANGO_SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")


def _proxy_ssl_header(name):
    """Turn "X-Forwarded-Proto" (or "HTTP_X_FORWARDED_PROTO") into the request.META key."""
    key = name.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


# A reverse proxy that terminates TLS talks plain HTTP to the app servers and
# names the original scheme in a header. Trusting that header is only safe when
# the proxy always sets it (overwriting what the client sent) and the app
# servers are reachable only through the proxy. Without it, behind such a
# proxy, the HTTPS redirect loops and the CSRF origin check fails.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header(os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"]), "https")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe app servers directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browsers honour HSTS only on HTTPS responses, and Django sends it only on
# requests it sees as secure (see SECURE_PROXY_SSL_HEADER above).
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
# Forms carry the CSRF token in a hidden field; no script, the admin's
# included, reads the cookie.
CSRF_COOKIE_HTTPONLY = True
# A form refused by the CSRF check gets the site's own 403 page (Django's has an inline style the CSP blocks).
CSRF_FAILURE_VIEW = "hearings.web.views.csrf_failure"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"

# No inline script or style anywhere, the admin and django-nested-admin
# included, so the policy needs no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # django-nested-admin's stylesheet draws its icons as data: URIs.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if os.environ.get("DJANGO_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [os.environ["DJANGO_CSP_REPORT_URI"]]

# Powerful browser features the site never uses, off for it and any frame.
# Only features Chromium recognises: an unknown name costs a console error on
# every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
