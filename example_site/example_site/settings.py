"""Settings of the example site: a fictional municipality's website with a register.

SQLite by default; set DATABASE_URL (for example postgres://user@127.0.0.1:5432/db)
to use PostgreSQL.
"""

import os
import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key


BASE_DIR = Path(__file__).resolve().parent.parent


def _secret_key():
    """DJANGO_SECRET_KEY, or a random key kept in a file outside git (DJANGO_SECRET_KEY_FILE,
    by default example_site/.secret_key), created on the first run with mode 600."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = Path(os.environ.get("DJANGO_SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
    try:
        # O_EXCL: of several processes starting at once, one writes the key, all read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(get_random_secret_key())
    for _attempt in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # another process has created the file and is writing it
    raise ImproperlyConfigured(f"The secret key file {path} is empty: delete it.")


SECRET_KEY = _secret_key()
# Off unless asked for: `make demo` and DJANGO_DEBUG=1 turn it on (never in production).
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
# Error reports (the debug page, e-mails to ADMINS) never show the exporters'
# credentials, the national register's username or DATABASE_URL.
DEFAULT_EXCEPTION_REPORTER_FILTER = "wagtail_algoregister.debug.SecretsExceptionReporterFilter"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "home",
    "wagtail_algoregister",
    "ckan_export",
    "national_export",
    "wagtail.contrib.forms",
    # Editors translate pages themselves (no machine translation): "Translate" in the
    # page's action menu copies it into the other locale as a draft.
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "example_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Seconds a process keeps its database connection (DJANGO_CONN_MAX_AGE, e.g. 60 in
        # production: no new PostgreSQL connection per request); 0 closes it after each.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL full-text search.
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process of the site (the register page's listing cache, the national
# register's rate limit): REDIS_URL (e.g. redis://127.0.0.1:6379/0), or DJANGO_CACHE=database
# (a table; create it once with `python manage.py createcachetable`). Without either,
# each process keeps its own cache in memory: right for one process (`make demo`).
SHARED_CACHE = bool(os.environ.get("REDIS_URL") or os.environ.get("DJANGO_CACHE") == "database")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
elif os.environ.get("DJANGO_CACHE") == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "algoregister_cache",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Entries can be written in English too (Wagtail's own locales; see README "Languages").
# Dutch pages live at /..., English ones at /en/... (urls.py, i18n_patterns).
WAGTAIL_I18N_ENABLED = True
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "collected-static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

WAGTAIL_SITE_NAME = "Gemeente Noorderhaaks"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# On PostgreSQL, Wagtail's database backend stems words by SEARCH_CONFIG (a PostgreSQL
# text search configuration): "dutch" lets "schulden" find "schuld". Other databases ignore it.
# After changing it, rebuild the index: python manage.py update_index
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}
}

# Background work (search indexing, and the CKAN export) runs in a separate
# worker: `python manage.py db_worker`. Set ALGOREGISTER_IMMEDIATE_TASKS=1 to
# run tasks inline instead (what `make demo` does, so no worker is needed).
if os.environ.get("ALGOREGISTER_IMMEDIATE_TASKS") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

WAGTAIL_ALGOREGISTER = {
    "BASE_TEMPLATE": "base.html",
    # Where published entries are sent (see the README, "Exports"): set below from the
    # environment, so the demo sends nothing anywhere by default.
    "EXPORTERS": {},
    # Portals and the national register are reached over https only; ALGOREGISTER_ALLOW_HTTP=1
    # allows plain http, e.g. for a CKAN on 127.0.0.1 (never in production).
    "ALLOW_HTTP": os.environ.get("ALGOREGISTER_ALLOW_HTTP") == "1",
}

# An open-data portal to push published entries to, when CKAN_URL is set:
#   ALGOREGISTER_ALLOW_HTTP=1 CKAN_URL=http://127.0.0.1:5000 CKAN_ORGANIZATION=gemeente-noorderhaaks CKAN_TOKEN=... \
#   python manage.py db_worker      (and publish in the admin, or run: python manage.py ckan_sync)
if os.environ.get("CKAN_URL"):
    WAGTAIL_ALGOREGISTER["EXPORTERS"]["ckan"] = {
        "BACKEND": "ckan_export.exporter.CkanExporter",
        "URL": os.environ["CKAN_URL"],
        "ORGANIZATION": os.environ.get("CKAN_ORGANIZATION", "gemeente-noorderhaaks"),
        "PROFILE": os.environ.get("CKAN_PROFILE", "ckan"),
        "TOKEN_ENV": "CKAN_TOKEN",
        "DATASET_TYPE": os.environ.get("CKAN_DATASET_TYPE") or None,
    }

# Upload to the national Algorithm Register, when NATIONAL_REGISTER_URL is set (e.g.
# https://algoritmes.overheid.nl/aanleverapi/v1_0) with NATIONAL_REGISTER_TOKEN_URL (the
# Keycloak token endpoint) and the account in NATIONAL_REGISTER_USERNAME / _PASSWORD.
if os.environ.get("NATIONAL_REGISTER_URL"):
    WAGTAIL_ALGOREGISTER["EXPORTERS"]["national"] = {
        "BACKEND": "national_export.exporter.NationalExporter",
        "URL": os.environ["NATIONAL_REGISTER_URL"],
        "TOKEN_URL": os.environ.get("NATIONAL_REGISTER_TOKEN_URL", ""),
        "USERNAME_ENV": "NATIONAL_REGISTER_USERNAME",
        "PASSWORD_ENV": "NATIONAL_REGISTER_PASSWORD",
        "ORGANISATION_ID": os.environ.get("NATIONAL_REGISTER_ORGANISATION") or None,
        # The API's 25 requests a minute hold across every worker process with a shared cache.
        "RATE_LIMIT_CACHE": "default" if SHARED_CACHE else None,
    }
