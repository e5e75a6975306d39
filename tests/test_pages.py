"""Public pages of the register and its entries."""

import html as htmllib
import re

import pytest
from django.utils import translation

from wagtail_algoregister import standard
from wagtail_algoregister.blocks import RegisterListingBlock
from wagtail_algoregister.models import AlgorithmPage

from .conftest import in_language, make_entry


def without_term_links(html):
    """The page with the glossary's links on words (``<a class="ar-term">``) taken out."""
    return re.sub(r'<a class="ar-term" href="[^"]*">(.*?)</a>', r"\1", html)


def get(client, url, language="nl"):
    response = client.get(in_language(url, language))
    assert response.status_code == 200
    return response.content.decode()


def test_entry_page_shows_every_filled_key_under_the_residents_questions(client, entry):
    from wagtail_algoregister.standard import questions

    html = htmllib.unescape(without_term_links(get(client, entry.url)))
    with translation.override("nl"):
        for question in questions.QUESTIONS:
            assert f'<h2 id="{question.anchor}">{question.title}</h2>' in html
            assert f'<a href="#{question.anchor}">{question.title}</a>' in html
    # Every filled key renders somewhere on the page.
    for key in (
        "goal",
        "proportionality",
        "human_intervention",
        "risks",
        "source_data",
        "methods_and_models",
    ):
        assert entry.standard_value(key).replace("<p>", "").replace("</p>", "")[:20] in html
    assert "https://wetten.overheid.nl/BWBR0031048" in html
    assert 'href="mailto:algoritmes@utrecht.example"' in html


def test_empty_show_always_fields_say_not_filled_in(client, register):
    page = make_entry(register, goal="", risks="", lawful_basis="", slug="leeg", source_id="leeg")
    html = get(client, page.url)
    assert html.count("Niet ingevuld") >= 2
    # lawful_basis is not a show-always field: no heading for it when empty.
    with translation.override("nl"):
        assert f"<dt>{standard.get('lawful_basis').label}</dt>" not in html
        assert f"<dt>{standard.get('goal').label}</dt>" in html


def test_entry_page_in_english(client, entry):
    html = get(client, entry.url, language="en")
    assert "What does the algorithm do?" in html and "Who checks the outcome?" in html
    assert "In use" in html and "Impactful algorithms" in html
    assert 'lang="en"' in html


def test_register_lists_only_published_entries(client, register):
    make_entry(register, slug="live", name="Gepubliceerd algoritme", source_id="live")
    make_entry(register, publish=False, slug="concept", name="Geheim concept", source_id="concept")
    html = get(client, register.url)
    assert "Gepubliceerd algoritme" in html
    assert "Geheim concept" not in html
    assert client.get("/algoritmeregister/concept/").status_code == 404


def test_unpublished_changes_do_not_leak(client, entry):
    entry.title = "Nog niet gepubliceerde titel"
    entry.save_revision()
    html = get(client, entry.url)
    assert "Nog niet gepubliceerde titel" not in html
    assert "Vroegsignalering van schulden" in html


def test_source_id_defaults_to_a_stable_id_and_url_to_the_public_page(register):
    from wagtail_algoregister.formats.national import entry_to_national

    page = make_entry(register, source_id="", slug="zonder-id")
    assert page.source_id == str(page.translation_key)
    page.title = "Andere naam"
    page.save()
    assert page.source_id == str(page.translation_key)
    data = entry_to_national(page)
    assert data["url"] == page.full_url and data["url"].startswith("http")
    assert list(data) == list(standard.input_fields())


def test_unsafe_html_is_never_stored_even_from_code(register):
    page = make_entry(
        register,
        goal='<p onclick="x">Doel</p><script>alert(1)</script>',
        slug="xss",
        source_id="xss",
    )
    page.refresh_from_db()
    assert page.goal == "<p>Doel</p>"


def test_register_listing_block_filters_entries(rf, register):
    make_entry(
        register,
        slug="zorg",
        name="Zorgvraag voorspellen",
        category=["Zorg en gezondheid"],
        source_id="zorg",
    )
    make_entry(
        register, slug="verkeer", name="Parkeerscan", category=["Verkeer"], source_id="verkeer"
    )
    make_entry(
        register,
        publish=False,
        slug="zorg-concept",
        name="Zorg concept",
        category=["Zorg en gezondheid"],
        source_id="zc",
    )
    block = RegisterListingBlock()
    value = block.to_python(
        {
            "heading": "Zorg",
            "register": register.pk,
            "theme": "Zorg en gezondheid",
            "status": "",
            "publication_category": "",
            "limit": 5,
        }
    )
    html = block.render(value, context={"request": rf.get("/")})
    assert "Zorgvraag voorspellen" in html
    assert "Parkeerscan" not in html and "Zorg concept" not in html
    assert [p.title for p in block.get_entries(value)] == ["Zorgvraag voorspellen"]


def test_body_blocks_render(client, entry):
    entry.body = [
        ("explanation", {"heading": "Hoe werkt het?", "text": "<p>Uitleg</p>"}),
        ("faq", {"heading": "Vragen", "items": [{"question": "Mag dit?", "answer": "<p>Ja.</p>"}]}),
        (
            "contact",
            {
                "heading": "Contact",
                "name": "Team Schulden",
                "email": "schulden@utrecht.example",
                "phone": "14 030",
                "url": "",
                "hours": "",
            },
        ),
        (
            "legal_basis_links",
            {
                "heading": "Wetten",
                "links": [{"title": "Awb", "link": "https://wetten.overheid.nl/BWBR0005537"}],
            },
        ),
    ]
    entry.save_revision().publish()
    html = get(client, entry.url)
    for text in ("Hoe werkt het?", "<summary>Mag dit?</summary>", "Team Schulden", "BWBR0005537"):
        assert text in html


@pytest.mark.postgres
def test_theme_filter_works_on_postgresql(register):
    make_entry(register, slug="z", category=["Zorg en gezondheid"], source_id="z")
    assert (
        AlgorithmPage.filter_entries(
            AlgorithmPage.objects.all(), theme="Zorg en gezondheid"
        ).count()
        == 1
    )
    assert AlgorithmPage.filter_entries(AlgorithmPage.objects.all(), theme="Zorg").count() == 0


def test_every_key_of_the_standard_renders_on_the_entry_page(client, register):
    import html as htmllib

    from wagtail_algoregister.standard.validation import strip_html

    page = make_entry(
        register, slug="alles", url="https://www.utrecht.example/register/alles", end_date="2030-01"
    )
    html = without_term_links(htmllib.unescape(get(client, page.url)))
    with translation.override("nl"):
        for key, d in standard.input_fields().items():
            value = page.standard_value(key)
            assert value not in ("", [], None), key
            if d.is_grouping:
                expected = [row["title"] for row in value]
            elif d.is_multiple_choice:
                expected = [str(d.value_label(v)) for v in value]
            elif key == "lang":
                expected = ["Nederlands"]  # the language's name, not its code
            elif d.is_choice:
                expected = [str(d.value_label(value))]
            elif d.is_rich_text:
                expected = [strip_html(value)[:30]]
            elif d.format == "year_month":
                expected = {"begin_date": ["april 2023"], "end_date": ["januari 2030"]}[key]
            else:
                expected = [value]
            for text in expected:
                assert text in html, (key, text)
            # The name and the summary are the page's heading and lead, without a label;
            # the contact is in the "Questions or objections?" box, in a sentence.
            if key not in ("name", "description_short", "contact_email"):
                assert str(d.label) in html, key


def test_scheduled_publishing_works_as_usual(register):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    page = make_entry(register, publish=False, slug="gepland", source_id="gepland")
    revision = page.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.refresh_from_db()
    assert not page.live
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.id


def test_identifier_uri_is_stable_and_resolves(client, entry):
    uri = entry.identifier_uri
    assert (
        uri.startswith("http://testserver/algoritmeregister/id/")
        and str(entry.translation_key) in uri
    )
    entry.slug = "nieuwe-slug"
    entry.save_revision().publish()
    entry.refresh_from_db()
    assert entry.identifier_uri == uri
    response = client.get(uri.replace("http://testserver", ""))
    assert response.status_code == 302 and response["Location"] == entry.url


def test_accessibility_statement_page(client, home):
    html = get(client, "/toegankelijkheid/")
    assert "Toegankelijkheidsverklaring" in html or "Accessibility statement" in html
    assert "mailto:toegankelijkheid@noorderhaaks.nl" in html
    assert "WCAG" in html


def test_accessibility_statement_follows_the_dutch_model_and_is_honest(client, db):
    import html as htmllib

    text = htmllib.unescape(get(client, "/toegankelijkheid/"))
    headings = re.findall(r"<h2>(.*?)</h2>", text)
    assert headings == [
        "Nalevingsstatus",
        "Hoe we het hebben onderzocht",
        "Bekende problemen",
        "Werkt er iets niet?",
        "Niet tevreden met ons antwoord?",
    ]
    # Status C: automated checks only, no audit; it does not claim to meet WCAG in full.
    assert "Status C: we hebben de eerste maatregelen genomen." in text
    assert "geen volledig onderzoek volgens de WCAG-EM-methode" in text
    assert "axe-core" in text and "Automatische controles vinden maar een deel" in text
    assert "voldoen volledig" not in text
    assert "23 november 2026" in text  # the date of the statement
    assert 'href="mailto:toegankelijkheid@noorderhaaks.nl"' in text
    assert "Nationale ombudsman" in text  # the enforcement procedure
    english = htmllib.unescape(get(client, "/toegankelijkheid/", language="en"))
    assert "Compliance status" in english and "Status C" in english
