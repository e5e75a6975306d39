"""Identifier URIs (``<register>/id/<translation key>/``) resolve for every entry in every
locale: to the version in the language asked for, else the default language's; never a
5xx; drafts and private entries are 404."""

# The fixtures of test_i18n are used by name, as parameters.
# ruff: noqa: F811

import pytest
from wagtail.models import PageViewRestriction

from .conftest import make_entry
from .test_i18n import bilingual, english, translate  # noqa: F401


def path_of(uri):
    return uri.replace("http://testserver", "")


def resolves_to(client, path):
    response = client.get(path)
    assert response.status_code == 302, (path, response.status_code)
    return response["Location"]


def test_a_translated_entrys_identifier_resolves_to_the_language_asked_for(client, bilingual):
    nl, en = bilingual["translated"], bilingual["translated_en"]
    key = nl.translation_key
    assert en.translation_key == key
    # The Dutch URI (the one the catalogue, the feed and CKAN carry): Dutch page.
    assert resolves_to(client, path_of(nl.identifier_uri)) == nl.url
    # The English register's URI (the English version's identifier URI).
    assert path_of(en.identifier_uri) == f"/en/algorithm-register/id/{key}/"
    assert resolves_to(client, path_of(en.identifier_uri)) == en.url


def test_without_the_language_asked_for_the_default_languages_version(client, bilingual):
    untranslated = bilingual["untranslated"]
    key = untranslated.translation_key
    assert resolves_to(client, f"/en/algorithm-register/id/{key}/") == untranslated.url
    # An English version that is not public does not count.
    en = bilingual["translated_en"]
    PageViewRestriction.objects.create(page=en, restriction_type="password", password="x")
    assert resolves_to(client, path_of(en.identifier_uri)) == bilingual["translated"].url


def test_only_the_english_version_public(client, bilingual):
    nl, en = bilingual["translated"], bilingual["translated_en"]
    nl.unpublish()
    assert resolves_to(client, path_of(nl.identifier_uri)) == en.url


@pytest.mark.parametrize("how", ["draft", "private", "private register", "unpublished"])
def test_drafts_and_private_entries_do_not_resolve(client, bilingual, english, how):
    register = bilingual["register"]
    entry = make_entry(register, publish=how != "draft", slug="geheim")
    if how != "draft":
        translate(entry, english, title="Secret")
    if how == "private":
        for version in entry.get_translations(inclusive=True):
            PageViewRestriction.objects.create(page=version, restriction_type="login")
    elif how == "private register":
        for version in register.get_translations(inclusive=True):
            PageViewRestriction.objects.create(page=version, restriction_type="login")
    elif how == "unpublished":
        for version in entry.get_translations(inclusive=True):
            version.specific.unpublish()
    key = entry.translation_key
    for path in (f"/algoritmeregister/id/{key}/", f"/en/algorithm-register/id/{key}/"):
        response = client.get(path)
        if how == "private register":
            # Wagtail's own restriction screen for the register (a login redirect).
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 404, (how, path, response.status_code)
