"""System checks of the settings: each mistake gives one message with its id and a hint."""

import pytest
from django.core import checks

from wagtail_algoregister import checks as algoregister_checks


CKAN = {
    "BACKEND": "ckan_export.exporter.CkanExporter",
    "URL": "https://data.example.invalid/data",
    "ORGANIZATION": "org",
    "TOKEN_ENV": "TEST_CKAN_TOKEN",
}
NATIONAL = {
    "BACKEND": "national_export.exporter.NationalExporter",
    "URL": "https://register.example.invalid/aanleverapi/v1_0",
    "TOKEN_URL": "https://login.example.invalid/token",
    "USERNAME_ENV": "TEST_NATIONAL_USERNAME",
    "PASSWORD_ENV": "TEST_NATIONAL_PASSWORD",
}


def ids(messages):
    return [m.id for m in messages]


def configure(settings, **values):
    settings.WAGTAIL_ALGOREGISTER = {"BASE_TEMPLATE": "base.html", **values}


@pytest.fixture
def env(monkeypatch):
    for name in ("TEST_CKAN_TOKEN", "TEST_NATIONAL_USERNAME", "TEST_NATIONAL_PASSWORD"):
        monkeypatch.setenv(name, "set")
    return monkeypatch


def test_the_example_site_settings_pass(settings):
    assert [m for m in checks.run_checks() if m.id.startswith("wagtail_algoregister")] == []


def test_good_exporters_pass(settings, env):
    configure(settings, EXPORTERS={"donl": CKAN, "national": NATIONAL})
    assert algoregister_checks.check_exporters() == []
    assert algoregister_checks.check_setting_keys() == []


def test_old_keys_are_errors_with_the_new_form_in_the_hint(settings):
    configure(
        settings,
        CKAN_PORTALS={
            "donl": {
                "URL": "https://data.example.invalid",
                "ORGANIZATION": "o",
                "TOKEN": "geheim-123",
            }
        },
        NATIONAL_REGISTER={"URL": "https://register.example.invalid", "PASSWORD": "geheim-456"},
    )
    [error] = algoregister_checks.check_setting_keys()
    assert error.id == "wagtail_algoregister.E001" and error.level == checks.ERROR
    assert "CKAN_PORTALS" in error.msg and "NATIONAL_REGISTER" in error.msg
    assert "'EXPORTERS'" in error.hint and "'donl'" in error.hint and "'national'" in error.hint
    assert "'BACKEND': 'ckan_export.exporter.CkanExporter'" in error.hint
    assert "'BACKEND': 'national_export.exporter.NationalExporter'" in error.hint
    assert "geheim" not in error.hint  # secrets belong in the environment


def test_unknown_keys_are_warnings(settings):
    configure(settings, PAGE_SIZES=10)
    [warning] = algoregister_checks.check_setting_keys()
    assert warning.id == "wagtail_algoregister.W001" and "PAGE_SIZES" in warning.msg


@pytest.mark.parametrize(
    ("spec", "expected", "words"),
    [
        ({"URL": "https://x.invalid"}, "E010", "BACKEND"),
        ({"BACKEND": "ckan_export.nowhere.Exporter"}, "E011", "cannot be imported"),
        ({"BACKEND": "wagtail_algoregister.models.SyncRecord"}, "E011", "not an exporter"),
        ({**CKAN, "URL": ""}, "E012", "URL is required"),
        ({**CKAN, "PROFILE": "dcat"}, "E012", "PROFILE must be one of"),
        ({**CKAN, "WITHDRAW": "shred"}, "E012", "WITHDRAW must be one of"),
        ({**CKAN, "TIMEOUT": "30"}, "E012", "TIMEOUT must be a number"),
        ({**CKAN, "ORGANISATION": "typo"}, "E012", "unknown option 'ORGANISATION'"),
        ({**CKAN, "REGISTERS": "/algoritmes/"}, "E012", "REGISTERS must be None or a list"),
        ({**NATIONAL, "URL": "ftp://x"}, "E012", "URL must be an https URL"),
        ({**NATIONAL, "RELEASE": "yes"}, "E012", "RELEASE must be True or False"),
        ({**NATIONAL, "RATE_LIMIT": 2.5}, "E012", "RATE_LIMIT must be a whole number"),
    ],
)
def test_bad_exporter_settings_are_named(settings, env, spec, expected, words):
    configure(settings, EXPORTERS={"target": spec})
    [error] = algoregister_checks.check_exporters()
    assert error.id == f"wagtail_algoregister.{expected}" and error.level == checks.ERROR
    assert "['target']" in error.msg and words in error.msg
    assert error.hint


def test_environment_variables_named_but_not_set_are_warnings(settings, env):
    env.delenv("TEST_CKAN_TOKEN")
    env.delenv("TEST_NATIONAL_PASSWORD")
    configure(settings, EXPORTERS={"donl": CKAN, "national": NATIONAL})
    messages = algoregister_checks.check_exporters()
    assert ids(messages) == ["wagtail_algoregister.W010"] * 2
    assert "TEST_CKAN_TOKEN" in messages[0].msg and "TEST_NATIONAL_PASSWORD" in messages[1].msg
    # A ready token instead of the account: the account's variables are not needed.
    env.setenv("TEST_NATIONAL_TOKEN", "t")
    configure(settings, EXPORTERS={"national": {**NATIONAL, "TOKEN_ENV": "TEST_NATIONAL_TOKEN"}})
    assert algoregister_checks.check_exporters() == []


def test_base_template_must_exist(settings):
    configure(settings, BASE_TEMPLATE="nergens/base.html")
    [error] = algoregister_checks.check_base_template()
    assert error.id == "wagtail_algoregister.E002" and "nergens/base.html" in error.msg


def test_i18n_consistency(settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LocaleMiddleware" not in m]
    assert ids(algoregister_checks.check_i18n()) == [
        "wagtail_algoregister.E003",
        "wagtail_algoregister.W003",
    ]


@pytest.mark.parametrize(
    ("urlconf", "expected"),
    [
        ("tests.sync.urls_wrong_order", "wagtail_algoregister.E004"),
        ("tests.sync.urls_without_files", "wagtail_algoregister.W004"),
    ],
)
def test_url_include_order(settings, urlconf, expected):
    settings.ROOT_URLCONF = urlconf
    [message] = algoregister_checks.check_url_order()
    assert message.id == expected and 'include("wagtail_algoregister.urls")' in message.hint
