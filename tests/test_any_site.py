"""The public pages in a site configured any way the README allows: no 500, right language."""

import re

import pytest
from django.conf import global_settings
from django.test import override_settings

from .conftest import make_entry


PACKAGE_BASE = {"BASE_TEMPLATE": "wagtail_algoregister/base.html"}
STYLESHEET_LINK = re.compile(
    r'<link rel="stylesheet" href="[^"]*wagtail_algoregister/css/register\.css">'
)


@pytest.fixture
def plain_site(settings):
    """No i18n_patterns, no set_language, Django's default LANGUAGES, the package's base."""
    settings.ROOT_URLCONF = "tests.urlconfs.plain"
    settings.WAGTAIL_I18N_ENABLED = False
    settings.LANGUAGES = global_settings.LANGUAGES
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, **PACKAGE_BASE}
    return settings


def test_without_set_language_and_languages_there_is_no_switch_and_no_error(
    client, plain_site, register
):
    entry = make_entry(register)
    for url in (register.url, entry.url):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="ar-language"' not in html
        assert '<html lang="nl">' in html


def test_two_languages_without_set_language_route_still_answer(client, plain_site, register):
    plain_site.LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
    response = client.get(register.url)
    assert response.status_code == 200
    assert 'class="ar-language"' not in response.content.decode()


def test_with_set_language_the_switch_lists_the_sites_languages(client, plain_site, register):
    plain_site.ROOT_URLCONF = "tests.urlconfs.set_language"
    plain_site.LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
    html = client.get(register.url).content.decode()
    form = re.search(r'<form class="ar-language" action="/i18n/setlang/".*?</form>', html, re.S)
    assert form
    options = re.findall(r'<option value="(\w+)"[^>]*?( selected)?>', form.group(0))
    assert options == [("nl", " selected"), ("en", "")]
    # Django's ~95 languages are not listed when the site has not chosen its own.
    plain_site.LANGUAGES = global_settings.LANGUAGES
    del plain_site.WAGTAIL_CONTENT_LANGUAGES
    assert 'class="ar-language"' not in client.get(register.url).content.decode()


def test_the_stylesheet_loads_once_with_any_base_template_and_can_be_turned_off(
    client, settings, register
):
    entry = make_entry(register)
    # The example site's own base template (as a site's): it links the stylesheet in its head.
    for url in (register.url, entry.url):
        html = client.get(url).content.decode()
        assert len(STYLESHEET_LINK.findall(html)) == 1, url
    # A base template that knows nothing of the package: the page's content brings it.
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "BASE_TEMPLATE": "bare_base.html",
    }
    html = client.get(register.url).content.decode()
    assert len(STYLESHEET_LINK.findall(html)) == 1
    assert html.index("register.css") > html.index("<body>")
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "STYLESHEET": False}
    assert not STYLESHEET_LINK.search(client.get(register.url).content.decode())


@override_settings(LANGUAGE_CODE="en-us")
def test_catalogue_and_feed_take_the_language_from_the_locale_not_language_code(client, register):
    make_entry(register)
    feed = client.get(f"{register.url}feed.atom").content.decode()
    assert 'xml:lang="nl"' in feed
    response = client.get(f"{register.url}catalog.ttl")
    catalogue = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    assert '"Vroegsignalering van schulden"@nl' in catalogue
    assert '"Vroegsignalering van schulden"@en' not in catalogue
