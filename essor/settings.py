"""essor settings: one module, every value from an environment variable (documented in docs/settings.md)."""

from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from essor.env import (
    env_bool,
    env_file_path,
    env_int,
    env_json,
    env_list,
    env_path,
    env_str,
    load_env_file,
    parse_cache_url,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Local use: the .env file written by `make demo` (docs/settings.md); absent in production, where nothing is read.
ENV_FILE = load_env_file(env_file_path(BASE_DIR / ".env"))

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "essor-insecure-development-key-only-for-debug-mode-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where downloaded official files, SIRENE working files and releases live.
DATA_DIR = env_path("ESSOR_DATA_DIR", BASE_DIR / "var" / "data")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "essor.core.tasks_app.TasksConfig",  # django-tasks-db, named in French in the admin
    "essor.core",
    "essor.territories",
    "essor.sirene",
    "essor.observatory",
    "essor.accounts",
    "essor.resources",
    "essor.trainings",
    "essor.surveys",
    "essor.study",
    "essor.steering",
    "essor.api",
    "essor.diffusion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files under gunicorn (no separate web server needed): hashed names cached for a year, gzip/brotli.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # /api/ only: CORS, quotas by address or API key (429 + Retry-After), ETag / Last-Modified.
    "essor.diffusion.middleware.PartnerApiMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "essor.urls"
WSGI_APPLICATION = "essor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "essor.core.context_processors.site",
                "essor.diffusion.context_processors.oembed_link",
            ],
        },
    },
]

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///var/essor.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (rate-limit counters, so that limits hold across gunicorn workers and hosts): the database by
# default (its table is created by `migrate`), Redis or Memcached by URL. "local" is per process, for what any
# worker can recompute (rendered charts) and that must not write to the database on a page view.
CACHES = {
    "default": parse_cache_url(env_str("ESSOR_CACHE_URL", "db://essor_cache")),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "essor-local"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: sign in with the email address (essor.accounts); rate limits as N/s, N/m, N/h or N/d ("0" disables).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ESSOR_RATE_LIMITS = {
    "signup": env_str("ESSOR_RATE_LIMIT_SIGNUP", "5/h"),
    "registration": env_str("ESSOR_RATE_LIMIT_REGISTRATION", "30/h"),
    "login": env_str("ESSOR_RATE_LIMIT_LOGIN", "30/h"),
    "login-account": env_str("ESSOR_RATE_LIMIT_LOGIN_ACCOUNT", "10/h"),
    "password-reset": env_str("ESSOR_RATE_LIMIT_PASSWORD_RESET", "10/h"),
    "password-reset-account": env_str("ESSOR_RATE_LIMIT_PASSWORD_RESET_ACCOUNT", "3/h"),
    "directory-export": env_str("ESSOR_RATE_LIMIT_DIRECTORY_EXPORT", "10/h"),
    # Public API (essor.diffusion): per client address, on by default (the demo included); per API key.
    "api": env_str("ESSOR_API_RATE_LIMIT", "120/m"),
    "api-key": env_str("ESSOR_API_KEY_RATE_LIMIT", "1200/m"),
}

# Internationalisation: French by default, English complete; the language is a URL prefix (/fr/, /en/).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
# One catalogue per app (so each domain owns its strings), then the project's own (base templates).
LOCALE_APPS = [
    "core",
    "territories",
    "sirene",
    "observatory",
    "accounts",
    "resources",
    "trainings",
    "surveys",
    "study",
    "steering",
    "api",
    "diffusion",
]
LOCALE_PATHS = [BASE_DIR / "essor" / app / "locale" for app in LOCALE_APPS]

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "essor.core.storage.CompressedStaticStorage"
            if env_bool("ESSOR_STATIC_COMPRESS", True)
            else "essor.core.storage.HashedStaticStorage"
        )
    },
}

# Optional base-map tiles for Leaflet maps (none by default: the site works offline).
# ESSOR_MAP_TILES=ign-plan picks IGN's Géoplateforme WMTS "Plan IGN v2" (free, no key) with its attribution.
MAP_TILE_PRESETS = {
    "ign-plan": (
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "© IGN – Plan IGN v2 (Géoplateforme)",
    ),
}
_tile_preset = env_str("ESSOR_MAP_TILES", "")
if _tile_preset and _tile_preset not in MAP_TILE_PRESETS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"ESSOR_MAP_TILES={_tile_preset!r}: use one of {', '.join(MAP_TILE_PRESETS)}.")
_preset_url, _preset_attribution = MAP_TILE_PRESETS.get(_tile_preset, ("", ""))
MAP_TILE_URL = env_str("ESSOR_MAP_TILE_URL", _preset_url)
MAP_TILE_ATTRIBUTION = env_str("ESSOR_MAP_TILE_ATTRIBUTION", _preset_attribution)

# Address lookup for "find the QPV of an address": a geocoder answering like the Base Adresse Nationale API
# (GET {url}?q=...&limit=1 -> GeoJSON features with a label). Empty (the default): the page takes coordinates.
GEOCODER_URL = env_str("ESSOR_GEOCODER_URL", "")
GEOCODER_TIMEOUT = env_int("ESSOR_GEOCODER_TIMEOUT", 5)

# Email (Django 6.1 mailers): console in DEBUG, SMTP otherwise; a folder of .eml files with ESSOR_EMAIL=file, SMTP with
# ESSOR_EMAIL=smtp and the EMAIL_SMTP_* variables.
_EMAIL_MODE = env_str("ESSOR_EMAIL", "console" if DEBUG else "smtp")
if _EMAIL_MODE == "console":
    _MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
elif _EMAIL_MODE == "file":
    _MAILER = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(env_path("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))},
    }
elif _EMAIL_MODE == "smtp":
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_SMTP_HOST"),
            "port": env_int("EMAIL_SMTP_PORT", 587),
            "username": env_str("EMAIL_SMTP_USER", ""),
            "password": env_str("EMAIL_SMTP_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_SMTP_TLS", True),
            "timeout": 30,
        },
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"ESSOR_EMAIL={_EMAIL_MODE!r}: use console, file or smtp.")
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "essor <no-reply@essor.localhost>")
# Absolute links where no request is at hand (emails sent by the task worker, commands): essor.core.urls_absolute.
SITE_URL = env_str("ESSOR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work: Django's tasks framework with a database backend.
TASKS = {
    "default": {
        "BACKEND": env_str("ESSOR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Content Security Policy: everything is served from this site; maps may add the tile host.
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlparse as _urlparse

    _p = _urlparse(MAP_TILE_URL.replace("{s}", "a"))
    _tile_origin = f"{_p.scheme}://{_p.netloc}"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"] + ([_tile_origin] if _tile_origin else []),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Production hardening (Django's deploy checks stay clean when DEBUG is off).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# The language cookie (set by /i18n/setlang/) like the session's: HTTPS only in production, not sent cross-site.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Diffusion (essor.diffusion): open data of each release, DCAT catalogue.
# Publish a release's open-data files (CSV, Parquet, datapackage.json) while it is built.
ESSOR_OPENDATA_ON_RELEASE = env_bool("ESSOR_OPENDATA_ON_RELEASE", True)
# Datasets per page of /catalog.jsonld (Hydra paging).
ESSOR_DCAT_PAGE_SIZE = env_int("ESSOR_DCAT_PAGE_SIZE", 20)
# Sites allowed to frame the widgets (CSP frame-ancestors of widget pages only; every other page: 'none').
ESSOR_WIDGET_FRAME_ANCESTORS = env_list("ESSOR_WIDGET_FRAME_ANCESTORS", ["*"])
# Seconds a client or proxy may reuse a public API answer (then revalidated with its ETag).
ESSOR_API_CACHE_SECONDS = env_int("ESSOR_API_CACHE_SECONDS", 300)

# Directory exports of more rows than this are written by the task worker (a link when ready) instead of holding a
# web worker; the files (under ESSOR_DATA_DIR/exports) and their links are removed after the given hours.
ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = env_int("ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS", 5_000)
ESSOR_DIRECTORY_EXPORT_HOURS = env_int("ESSOR_DIRECTORY_EXPORT_HOURS", 24)

# SIRENE pipeline: memory ceiling and threads for DuckDB (bounded memory on a 2-core, 24 GB machine).
# DuckDB's own ceiling; the process adds ~1.6-2 GB (Python, QPV index, SQLite) on top: 4GB keeps the peak under 6 GB.
SIRENE_MEMORY_LIMIT = env_str("ESSOR_SIRENE_MEMORY_LIMIT", "4GB")
SIRENE_THREADS = env_int("ESSOR_SIRENE_THREADS", 2)

# Official sources, overridable for mirrors and tests (docs/settings.md).
# `essor sirene download`: the data.gouv.fr API that describes the current SIRENE files.
DATAGOUV_API = env_str("ESSOR_DATAGOUV_API", "https://www.data.gouv.fr/api/1")
# `essor territories update`: a JSON object {"decoupage": URL, "qpv2024": URL} (either key), then one per file.
TERRITORIES_URLS = env_json("ESSOR_TERRITORIES_URLS", {})
TERRITORIES_DECOUPAGE_URL = env_str("ESSOR_TERRITORIES_DECOUPAGE_URL", "")
TERRITORIES_QPV2024_URL = env_str("ESSOR_TERRITORIES_QPV2024_URL", "")
TERRITORIES_QPV2024_POPULATION_URL = env_str("ESSOR_TERRITORIES_QPV2024_POPULATION_URL", "")
