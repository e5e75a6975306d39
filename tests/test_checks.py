"""System checks (wagtail_algoregister.checks): warnings with the fix in the hint."""

import pytest
from django.core import checks
from django.test import override_settings
from wagtail.models import Locale, Site

from .conftest import make_entry


def warnings(databases=("default",)):
    return {
        message.id: message
        for message in checks.run_checks(databases=list(databases) if databases else None)
        if message.id and message.id.startswith("wagtail_algoregister.")
    }


def test_a_dutch_site_configured_as_documented_has_no_warnings(db, register):
    Site.objects.update(hostname="www.utrecht.example", port=443)
    assert warnings() == {}


@pytest.mark.parametrize("code", ["en-us", "en", "de"])
def test_a_language_code_that_is_not_dutch_is_a_warning(db, code):
    with override_settings(LANGUAGE_CODE=code):
        found = warnings(databases=None)
    assert "wagtail_algoregister.W021" in found
    assert 'LANGUAGE_CODE = "nl"' in found["wagtail_algoregister.W021"].hint
    with override_settings(LANGUAGE_CODE="nl-nl"):
        assert "wagtail_algoregister.W021" not in warnings(databases=None)


def test_a_missing_default_locale_is_a_warning_with_the_rename_in_the_hint(db, register):
    # A site whose pages were created before LANGUAGE_CODE became "nl" (wagtail start: en-us).
    Locale.objects.filter(language_code="nl").update(language_code="en")
    found = warnings()
    warning = found["wagtail_algoregister.W020"]
    assert "Settings → Locales" in warning.hint
    assert "update(language_code='nl')" in warning.hint
    # Checks that read the database stay quiet when no database is given (plain `check`).
    assert "wagtail_algoregister.W020" not in warnings(databases=None)


def test_a_register_on_a_site_with_a_local_hostname_is_a_warning(db, register):
    Site.objects.update(hostname="localhost", port=80)
    warning = warnings()["wagtail_algoregister.W022"]
    assert "http://localhost/" in warning.msg
    assert "Settings → Sites" in warning.hint
    Site.objects.update(hostname="www.utrecht.example")
    assert "wagtail_algoregister.W022" not in warnings()


@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_pages_answer_when_the_default_locale_is_missing(db, client, register):
    """The README's languages section on a site whose pages exist: no 500 before the rename."""
    entry = make_entry(register)
    register_path, entry_path = register.url, entry.url  # Dutch: no language prefix
    Locale.objects.filter(language_code="nl").update(language_code="en-us")
    assert client.get(register_path).status_code == 200
    assert client.get(entry_path).status_code == 200
