"""Test settings: the example site, with fast and deterministic overrides.

The database comes from DATABASE_URL (PostgreSQL in `make test`), SQLite otherwise.
"""

from example_site.settings import *  # noqa: F403


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Wagtail's own tasks (search index, references) run inline in tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests configure their exporters themselves (a real CKAN, the national contract server),
# never from the environment: none by default. Their CKAN and the national contract server
# speak plain http on 127.0.0.1.
WAGTAIL_ALGOREGISTER = {**WAGTAIL_ALGOREGISTER, "EXPORTERS": {}, "ALLOW_HTTP": True}  # noqa: F405
if "national_export" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "national_export"]  # noqa: F405
# Templates only tests use (a base template that knows nothing of the package).
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR.parent / "tests" / "templates"]}  # noqa: F405
]
