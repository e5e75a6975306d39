"""Entries in English: Wagtail's own locales, URL prefixes, the language switch, no leaks."""

import html as htmllib
import json
import re

import pytest
from wagtail.models import Locale

from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conftest import make_entry


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def translate(page, locale, publish=True, **changes):
    """What an editor does: "Translate" (a draft copy), edit the text, publish."""
    copy = page.copy_for_translation(locale).specific
    for attribute, value in changes.items():
        setattr(copy, attribute, value)
    copy.save()
    revision = copy.save_revision()
    if publish:
        revision.publish()
        copy.refresh_from_db()
    return copy


@pytest.fixture
def bilingual(register, english):
    """A home and register in Dutch and English; one entry translated, one not."""
    home = register.get_parent().specific
    translate(home, english, title="Home")
    register_en = translate(
        register, english, title="Algorithm register", slug="algorithm-register"
    )
    translated = make_entry(register, slug="parkeren", name="Parkeervergunning toekennen")
    untranslated = make_entry(register, slug="afval", name="Afvalroutes plannen")
    translated_en = translate(
        translated,
        english,
        title="Granting parking permits",
        slug="parking",
        description_short="We check automatically whether you can get a parking permit.",
    )
    return {
        "register": register,
        "register_en": register_en,
        "translated": translated,
        "translated_en": translated_en,
        "untranslated": untranslated,
    }


def page_html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return htmllib.unescape(response.content.decode())


def language_links(html):
    nav = re.search(r'<nav class="ar-language".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'<a href="([^"]*)"[^>]*lang="(\w+)"', nav))


def links_by_language(html):
    return {language: url for url, language in language_links(html).items()}


def test_pages_without_a_prefix_are_dutch_whatever_the_browser_asks(client, entry):
    html = page_html(client, entry.url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl">' in html
    client.cookies["django_language"] = "en"
    assert '<html lang="nl">' in page_html(client, entry.url)


def test_english_prefix_without_english_pages_translates_the_interface_and_marks_the_text_dutch(
    client, entry
):
    html = page_html(client, f"/en{entry.url}")
    assert '<html lang="en">' in html
    assert "Questions or objections?" in html
    # The entry's own text is Dutch: screen readers must switch (WCAG 3.1.2).
    assert re.search(r'<article class="[^"]*ar-entry"[^>]* lang="nl"', html)
    assert links_by_language(html) == {"nl": entry.url, "en": f"/en{entry.url}"}


def test_english_entry_page_and_the_language_switch_between_versions(client, bilingual):
    nl, en = bilingual["translated"], bilingual["translated_en"]
    assert en.url == "/en/algorithm-register/parking/"
    html = page_html(client, en.url)
    assert '<html lang="en">' in html
    assert '<h1 id="ar-entry-title">Granting parking permits</h1>' in html
    assert not re.search(r'<article class="[^"]*ar-entry"[^>]* lang=', html)
    assert links_by_language(html) == {"nl": nl.url, "en": en.url}
    assert links_by_language(page_html(client, nl.url)) == {"nl": nl.url, "en": en.url}


def test_untranslated_entry_links_to_the_english_register_and_says_why(client, bilingual):
    html = page_html(client, bilingual["untranslated"].url)
    links = links_by_language(html)
    assert links["en"] == bilingual["register_en"].url
    # Said visibly, in the language of the link: where it goes instead.
    nav = re.search(r'<nav class="ar-language".*?</nav>', html, re.S).group(0)
    assert "(this page is not translated: to “Algorithm register”)" in nav
    assert "ar-visually-hidden" not in nav


def test_the_language_switch_keeps_filters_and_search(client, bilingual):
    html = page_html(client, f"{bilingual['register'].url}?q=parkeren&status=In+gebruik")
    expected = f"{bilingual['register_en'].url}?q=parkeren&status=In+gebruik"
    assert links_by_language(html)["en"] == expected


def test_english_register_lists_english_entries_and_says_what_is_missing(client, bilingual):
    response = client.get(bilingual["register_en"].url)
    titles = [entry.title for entry in response.context["listing"].entries]
    assert titles == ["Granting parking permits"]
    html = htmllib.unescape(response.content.decode())
    assert "One algorithm in this register has not been translated yet." in html
    assert (
        f'<a href="{bilingual["register"].url}" hreflang="nl">See the complete register in Dutch</a>'
        in html
    )
    # The Dutch register has everything and no such notice.
    dutch = client.get(bilingual["register"].url)
    assert len(dutch.context["listing"].entries) == 2
    assert "ar-translation-gap" not in dutch.content.decode()


def test_english_downloads_hold_the_english_versions(client, bilingual):
    response = client.get(f"{bilingual['register_en'].url}export.json")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [record["name"] for record in records] == ["Granting parking permits"]
    # The same algorithm: the source id is shared by its versions.
    assert records[0]["source_id"] == bilingual["translated"].source_id


def test_an_unpublished_translation_never_shows(client, bilingual, english):
    draft = translate(
        bilingual["untranslated"], english, publish=False, title="Planning waste routes"
    )
    assert not draft.live
    register_en = bilingual["register_en"]
    response = client.get(register_en.url)
    assert "Planning waste routes" not in response.content.decode()
    assert client.get(f"/en/algorithm-register/{draft.slug}/").status_code == 404
    html = page_html(client, bilingual["untranslated"].url)
    assert links_by_language(html)["en"] == register_en.url
    feed = client.get(f"{register_en.url}feed.atom").content.decode()
    assert "Planning waste routes" not in feed


def test_api_filters_entries_by_locale(client, bilingual):
    response = client.get("/api/v2/algorithms/?locale=en&fields=title")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Granting parking permits"]
    response = client.get("/api/v2/algorithms/?locale=nl")
    assert len(response.json()["items"]) == 2


def test_accessibility_statement_in_both_languages(client, db):
    assert '<html lang="nl">' in page_html(client, "/toegankelijkheid/")
    assert '<html lang="en">' in page_html(client, "/en/toegankelijkheid/")


def test_editors_translate_with_wagtails_translate_action(admin_client, register, english):
    """simple_translation's "Translate" view copies the register and its entries as drafts."""
    entry = make_entry(register, slug="parkeren")
    home = register.get_parent()
    response = admin_client.post(
        f"/admin/translation/submit/page/{home.pk}/",
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    copies = AlgorithmPage.objects.filter(translation_key=entry.translation_key, locale=english)
    assert copies.count() == 1
    copy = copies.get()
    # A draft: nothing in English is public until an editor publishes it.
    assert not copy.live
    assert copy.source_id == entry.source_id
    assert AlgorithmRegisterPage.objects.filter(locale=english).count() == 1
    # The editor edits the English text in the usual edit view.
    response = admin_client.get(f"/admin/pages/{copy.pk}/edit/")
    assert response.status_code == 200


def test_english_pages_have_breadcrumbs_in_english(client, bilingual):
    html = page_html(client, bilingual["translated_en"].url)
    nav = re.search(r'<nav class="ar-breadcrumb"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs on the English entry"
    items = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))
    assert items == [
        ("/en/", "Home"),
        (bilingual["register_en"].url, "Algorithm register"),
        (bilingual["translated_en"].url, "Granting parking permits"),
    ]
    html = page_html(client, bilingual["register_en"].url)
    assert re.search(r'<nav class="ar-breadcrumb"', html)
