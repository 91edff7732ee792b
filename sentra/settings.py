"""Django settings for Sentra.

Everything that differs between a laptop and production comes from the
environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
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
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sentra.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sentra.audit.middleware.RequestIdMiddleware",
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
    # WAL lets readers work while an import writes; the pragmas run on every connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536;"
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
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:business_list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"

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

# Record linkage (sentra/linkage): where Splink runs ("duckdb" on this machine, "spark" on a cluster)
# and the match probability from which two records are taken to be one UMKM.
LINKAGE_BACKEND = os.environ.get("LINKAGE_BACKEND", "duckdb")
LINKAGE_AUTO_LINK_THRESHOLD = float(os.environ.get("LINKAGE_AUTO_LINK_THRESHOLD", "0.95"))
# Pairs below the threshold but at least this probable wait in the review queue.
LINKAGE_REVIEW_FLOOR = float(os.environ.get("LINKAGE_REVIEW_FLOOR", "0.5"))

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    **globals().get("STORAGES", {}),  # the static files' storage, when set above
    "private": {"BACKEND": "sentra.core.storage.PrivateFileStorage"},  # at PRIVATE_MEDIA_ROOT
}
# Folders of MEDIA_ROOT that are public (product photos), served by Django also with DEBUG off.
PUBLIC_MEDIA_FOLDERS = ("products",)
PUBLIC_MEDIA_MAX_AGE = int(os.environ.get("PUBLIC_MEDIA_MAX_AGE", str(7 * 24 * 3600)))
# Reading spreadsheets: sheets beyond these sizes are refused (real lists reach ~1M rows × ~60
# columns), and a workbook is read in a child process capped at this much memory and CPU time.
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "2000000"))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", "500"))
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", "64000000"))
SPREADSHEET_READ_MEMORY_MB = int(os.environ.get("SPREADSHEET_READ_MEMORY_MB", "8192"))
SPREADSHEET_READ_SECONDS = int(os.environ.get("SPREADSHEET_READ_SECONDS", "900"))
