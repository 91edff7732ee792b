"""Django settings for Sentra.

Everything that differs between a laptop and production comes from the
environment (docs/deployment.md lists it): DATABASE_URL, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, SENTRA_HTTPS, ... Without SENTRA_DEV=1 the defaults are production's.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sentra.core.maps import tile_origin

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1/true/yes/on or 0/false/no/off, `default` when unset."""
    value = os.environ.get(name, "").strip().lower()
    return default if value == "" else value in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A developer's machine (`make run`, `make test`, the test suite) sets SENTRA_DEV=1: DEBUG on and a
# throwaway SECRET_KEY. Anywhere else DEBUG is off and the settings refuse to start without SECRET_KEY.
DEVELOPMENT = env_flag("SENTRA_DEV", False)
DEBUG = env_flag("DEBUG", DEVELOPMENT)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set it in the environment to a long random value "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "on a development machine set SENTRA_DEV=1 instead (make run and make test do)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",  # locks an account out after repeated wrong passwords (sentra/accounts/lockout.py)
    "django_otp",
    "django_otp.plugins.otp_totp",  # the optional second factor (sentra/accounts/twofactor.py)
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "imagekit",  # product photos in the sizes the pages show (sentra/registry/photos.py)
    "sentra.core",
    "sentra.regions",
    "sentra.kbli",
    "sentra.accounts",
    "sentra.audit",
    "sentra.registry",
    "sentra.imports",
    "sentra.linkage",
    "sentra.dashboards",
    "sentra.reports",
    "sentra.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before anything that reads the session
    "csp.middleware.CSPMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sentra.core.middleware.ChosenLanguageMiddleware",
    "sentra.core.middleware.DatabaseBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sentra.core.middleware.SlidingSessionMiddleware",
    "sentra.accounts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sentra.audit.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its response
]

ROOT_URLCONF = "sentra.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "sentra.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; the pragmas run on every connection. A writer
    # waits up to 20 s for another's transaction to end; past that the page says the system is busy
    # (sentra.core.middleware.DatabaseBusyMiddleware).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests that run `manage.py` in a child process need the test database in a file.
    if os.environ.get("SENTRA_SQLITE_TEST_FILE"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["SENTRA_SQLITE_TEST_FILE"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Every password check goes through django-axes first, which refuses it while the account is locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one address lock that pair out for
# LOGIN_COOLOFF_MINUTES, counted from the failure that locked it; a successful login starts the count again.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sentra.accounts.lockout.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "sentra.core.http.client_ip"
# Behind a reverse proxy every request comes from the proxy's address: name the header in which the
# proxy passes the client's own (nginx: `proxy_set_header X-Real-IP $remote_addr;`), e.g. X-Real-IP.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# The second factor (TOTP) is optional for office admins and superusers; TWO_FACTOR_REQUIRED=1 makes
# them set it up before they can use anything else.
TWO_FACTOR_REQUIRED = env_flag("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "Sentra"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Outside DEBUG, `collectstatic` writes hashed, compressed copies that WhiteNoise serves with a
    # cache lifetime of ten years; in DEBUG the files are served straight from static/ and the apps.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# Sessions end after a working day without activity: each request of a signed-in user moves the
# expiry on (at most every SESSION_REFRESH_SECONDS, so that not every page writes the session).
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "9")) * 3600)
SESSION_REFRESH_SECONDS = 300
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
CSRF_FAILURE_VIEW = "sentra.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# HTTPS (the default outside DEBUG): redirect to https, HSTS, cookies sent over https only. An office
# that serves Sentra over plain HTTP on its intranet sets SENTRA_HTTPS=0.
HTTPS = env_flag("SENTRA_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The flag preloads nothing by itself: a domain enters browsers' preload lists only when its owner
# submits it at hstspreload.org.
SECURE_HSTS_PRELOAD = True
# Behind a proxy that ends TLS, the header it sets to "https" on secure requests (e.g.
# X-Forwarded-Proto); without it Django takes every request for plain http.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
# Origins, besides the site's own, whose forms may post here (e.g. https://sentra.example.go.id when
# the proxy passes another Host).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Maps (the UMKM page, the registry's map): the tiles' address, with Leaflet's {z}/{x}/{y} and
# optional {s} placeholders, and the credit the tiles' licence asks for (HTML). OpenStreetMap's own
# tiles by default; an office with heavy use should run or rent its own (docs/deployment.md).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get(
    "MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
MAP_TILE_MAX_ZOOM = int(os.environ.get("MAP_TILE_MAX_ZOOM", "19"))
# The most points the registry's map loads at once; beyond it the map says so and shows a spread sample.
MAP_POINT_LIMIT = int(os.environ.get("MAP_POINT_LIMIT", "5000"))

# Only our own files: no inline script or style, no CDN (htmx, Chart.js, Leaflet and the API docs'
# Swagger UI are served from static/). Chart.js, Leaflet and Swagger set styles through the DOM,
# which CSP allows. Images may come from the map tiles' host too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [tile_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stderr (systemd's journal in production). LOG_LEVEL sets our own loggers' level; Django
# logs failed requests (django.request: 5xx as errors, 4xx as warnings) and security events, and
# django-axes every failed login and lockout (warnings).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {process:d} {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # Both reach the root's handler; naming "django" here replaces Django's own handlers (console in
    # DEBUG only, mail to ADMINS), which would drop the errors on a server.
    "loggers": {"django": {"level": "INFO"}, "sentra": {"level": LOG_LEVEL}},
}

# Rows per page in the registry list; the list never counts past COUNT_CAP rows.
REGISTRY_PAGE_SIZE = 25
REGISTRY_COUNT_CAP = 1000
# On SQLite, a search matching at least this many businesses walks the list's index instead.
REGISTRY_SEARCH_FREQUENT_MATCHES = 2000

# Background work (imports, reports) goes through a real queue kept in the database,
# so it works on the embedded SQLite default; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Progress of running jobs is written outside their transaction, to the cache; a file
# cache is shared by the web and worker processes of one machine (several machines
# would share Django's Redis cache instead).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
    }
}
# A worker beats for the job it runs this often; a running job with no beat for this long lost its
# worker and is failed with a reason, so that it can be retried at once (sentra/core/jobs.py).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_DEAD_AFTER_SECONDS = float(os.environ.get("JOB_DEAD_AFTER_SECONDS", "90"))
# A bulk write (a large import, written in chunks) whose writer has not reported for this long is
# taken for dead, and its unpublished rows are removed (sentra/registry/bulk.py).
REGISTRY_BULK_WRITE_STALE_SECONDS = int(os.environ.get("REGISTRY_BULK_WRITE_STALE_SECONDS", "300"))
# Rows per committed chunk of a bulk write: each chunk holds SQLite's write lock for well under a second.
REGISTRY_BULK_WRITE_CHUNK = int(os.environ.get("REGISTRY_BULK_WRITE_CHUNK", "5000"))
# Uploaded import files are kept here until their import is undone or pruned.
IMPORT_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
# SQLite page cache an import may use while it writes (MB); the connection's own is restored after.
IMPORT_SQLITE_CACHE_MB = int(os.environ.get("IMPORT_SQLITE_CACHE_MB", "1024"))
# Files from this size (bytes) have their rows parsed in a child process while the import writes.
IMPORT_PARSE_APART_BYTES = int(os.environ.get("IMPORT_PARSE_APART_BYTES", str(2 * 1024 * 1024)))
# PostgreSQL: threads writing an import's chunks while the next is made (core/chunk_writer.py); two keep
# the server busy on a 2-core machine while either waits for its turn to commit.
IMPORT_WRITER_THREADS = int(os.environ.get("IMPORT_WRITER_THREADS", "2"))
# Rows parsed, then matched against the registry, at a time (the child sends them so many at once).
IMPORT_PARSE_CHUNK_ROWS = int(os.environ.get("IMPORT_PARSE_CHUNK_ROWS", "2000"))

# Record linkage (sentra/linkage): where Splink runs ("duckdb" on this machine, "spark" on a cluster)
# and the match probability from which two records are taken to be one UMKM.
LINKAGE_BACKEND = os.environ.get("LINKAGE_BACKEND", "duckdb")
LINKAGE_AUTO_LINK_THRESHOLD = float(os.environ.get("LINKAGE_AUTO_LINK_THRESHOLD", "0.95"))
# Pairs below the threshold but at least this probable wait in the review queue.
LINKAGE_REVIEW_FLOOR = float(os.environ.get("LINKAGE_REVIEW_FLOOR", "0.5"))
# For how many days a merge of two registered businesses can be undone from the kept one's history.
LINKAGE_MERGE_UNDO_DAYS = int(os.environ.get("LINKAGE_MERGE_UNDO_DAYS", "30"))

# How long the change log, the NIK reveal log and the export log are kept (days); 0 keeps them for good.
# `manage.py prune_change_log` removes older entries (run it daily, see docs/deployment.md).
CHANGE_LOG_RETENTION_DAYS = int(os.environ.get("CHANGE_LOG_RETENTION_DAYS", "3650"))

# Files of personal data (uploaded spreadsheets, agency lists, reports) live in private storage,
# outside MEDIA_ROOT and never under MEDIA_URL; views that check scope serve them. Set
# PRIVATE_MEDIA_SERVER to "nginx" (X-Accel-Redirect to PRIVATE_MEDIA_INTERNAL_URL, an internal
# location) or "apache" (X-Sendfile) to let the front server send the bytes.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PRIVATE_MEDIA_SERVER = os.environ.get("PRIVATE_MEDIA_SERVER", "")
PRIVATE_MEDIA_INTERNAL_URL = os.environ.get("PRIVATE_MEDIA_INTERNAL_URL", "/private-media/")
STORAGES["private"] = {"BACKEND": "sentra.core.storage.PrivateFileStorage"}  # at PRIVATE_MEDIA_ROOT
# Folders of MEDIA_ROOT that are public (product photos), served by Django also with DEBUG off.
PUBLIC_MEDIA_FOLDERS = ("products",)
# The photos' smaller copies, made on first use, live beside them (so they are public media too).
IMAGEKIT_CACHEFILE_DIR = "products/sizes"
PUBLIC_MEDIA_MAX_AGE = int(os.environ.get("PUBLIC_MEDIA_MAX_AGE", str(7 * 24 * 3600)))
# Reading spreadsheets: sheets beyond these sizes are refused (real lists reach ~1M rows × ~60
# columns), and a workbook is read in a child process capped at this much memory and CPU time.
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "2000000"))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", "500"))
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", "64000000"))
SPREADSHEET_READ_MEMORY_MB = int(os.environ.get("SPREADSHEET_READ_MEMORY_MB", "8192"))
SPREADSHEET_READ_SECONDS = int(os.environ.get("SPREADSHEET_READ_SECONDS", "900"))
