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
# Tests configure portals themselves (tests/ckan_export), never from the environment.
WAGTAIL_ALGOREGISTER = {**WAGTAIL_ALGOREGISTER, "CKAN_PORTALS": {}}  # noqa: F405
# The national register upload is installed but off (no URL); tests/national_export
# points it at its contract server with override_settings.
if "national_export" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "national_export"]  # noqa: F405
WAGTAIL_ALGOREGISTER["NATIONAL_REGISTER"] = {}
# Templates only tests use (a base template that knows nothing of the package).
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR.parent / "tests" / "templates"]}  # noqa: F405
]
