"""One gate for text (issue 13, item 5): every value that reaches an entry (import, admin,
code calling save()) loses the control characters no XML writer or database takes, every
rich-text field (the local ones and the StreamField's blocks included) keeps only what its
features allow, and a link value becomes a link only when it is an http(s) address.
Pages, the feed, the API and export.json then serve clean text."""

import json
import xml.etree.ElementTree as ET

import pytest
from wagtail.rich_text import RichText

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, LawfulBasisLink
from wagtail_algoregister.standard.validation import validate_entry

from .conftest import full_entry, make_entry
from .test_import import entries, run, write_json


CONTROL = ["\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe"]
SCRIPTED = (
    '<p>Bezwaar <a href="javascript:alert(1)">hier</a> of '
    '<a href="https://www.utrecht.example/bezwaar" onclick="alert(2)">online</a></p>'
    '<img src=x onerror="alert(3)"><script>alert(4)</script><h2>kop</h2>'
)
UNSAFE = ("javascript:", "onerror", "onclick", "<img", "alert(")


def published(page):
    """Saved as code may do it: the live page's row, without the admin's validation."""
    page.save(clean=False)
    return AlgorithmPage.objects.get(pk=page.pk)


def text_of(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("character", CONTROL)
def test_validation_removes_control_characters(character):
    entry = full_entry(
        name=f"Parkeer{character}vergunning",
        goal=f"<p>Doel{character}</p>",
        category=[f"Verkeer{character}"],
        lawful_basis_grouping=[{"title": f"Wet{character}", "link": "https://wet.example/"}],
    )
    normalised, errors = validate_entry(entry)
    assert errors == {}
    assert normalised["name"] == "Parkeervergunning"
    assert normalised["goal"] == "<p>Doel</p>"
    assert normalised["category"] == ["Verkeer"]
    assert normalised["lawful_basis_grouping"][0]["title"] == "Wet"
    # Tab and newline are text.
    normalised, _errors = validate_entry(full_entry(tags="a,\tb\r\nc"))
    assert normalised["tags"] == "a,\tb\nc"


def test_an_imported_control_character_never_takes_the_feed_down(client, tmp_path, register):
    data = [full_entry(name="Parkeren\x0bvergunning", description_short="Kort\x1b verhaal.")]
    run(write_json(tmp_path, data), register, "--publish")
    page = entries(register).get()
    assert page.title == "Parkerenvergunning" and page.description_short == "Kort verhaal."
    response = client.get(f"{register.url}feed.atom")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)
    titles = [element.text for element in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Parkerenvergunning" in titles


def test_code_saving_control_characters_stores_none(client, register):
    page = make_entry(register)
    page.title = "Afval\x0broutes"
    page.department = "Stads\x00beheer"
    page.seo_title = "Seo\x1b"
    page = published(page)
    assert (page.title, page.department, page.seo_title) == ("Afvalroutes", "Stadsbeheer", "Seo")
    assert client.get(f"{register.url}feed.atom").status_code == 200


def test_local_rich_text_is_sanitised_on_save_in_the_model(client, register):
    page = make_entry(register)
    page.objection_procedure = SCRIPTED
    page = published(page)
    stored = page.objection_procedure
    for unsafe in (*UNSAFE, "<h2"):  # h2 is not among the field's features
        assert unsafe not in stored, unsafe
    assert '<a href="https://www.utrecht.example/bezwaar">online</a>' in stored
    html = client.get(page.url).content.decode()
    assert "online</a>" in html
    api = client.get(f"/api/v2/algorithms/{page.pk}/").json()
    assert api["objection_procedure"] == stored
    download = text_of(client.get(f"{page.url}export.json"))
    for unsafe in UNSAFE:
        assert unsafe not in html, unsafe
        assert unsafe not in json.dumps(api), unsafe
        assert unsafe not in download, unsafe


def test_register_intro_is_sanitised_on_save(client, register):
    register.intro = SCRIPTED.replace("<h2>kop</h2>", "<h2>kop</h2><h4>te diep</h4>")
    register.save(clean=False)
    register.refresh_from_db()
    assert "<h2" in register.intro  # the intro's features include h2
    for unsafe in ("javascript:", "onerror", "onclick", "<img", "<script", "<h4"):
        assert unsafe not in register.intro, unsafe
    assert "javascript:" not in client.get(register.url).content.decode()


def test_stream_field_blocks_pass_the_gate(client, register):
    page = make_entry(register)
    page.body = [
        ("explanation", {"heading": "Uitleg\x0b", "text": RichText(SCRIPTED)}),
        (
            "legal_basis_links",
            {
                "heading": "Wetten",
                "links": [
                    {"title": "Kwaad", "link": "javascript:alert(5)"},
                    {"title": "Goed", "link": "https://wetten.example/"},
                ],
            },
        ),
    ]
    page = published(page)
    explanation = page.body[0].value
    assert explanation["heading"] == "Uitleg"
    for unsafe in (*UNSAFE, "<h2"):
        assert unsafe not in explanation["text"].source, unsafe
    html = client.get(page.url).content.decode()
    assert "javascript:" not in html
    assert '<a href="https://wetten.example/">Goed</a>' in html and "Kwaad" in html


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x"],
)
def test_link_values_become_links_only_when_http(client, register, link):
    page = make_entry(register)
    # Saved by code, without validation: stored as typed.
    page.website = link
    page.publiccode = "mailto:x@example.org"
    page.lawful_basis_grouping = [LawfulBasisLink(title="Wet", link=link)]
    page = published(page)
    assert page.website == link.strip() or page.website == link
    register.complaint_url = link
    register.default_contact_email = "javascript://%0aalert(1)"
    register.save(clean=False)
    html = client.get(page.url).content.decode()
    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert not [
        href for href in hrefs if "script" in href.lower() or href.startswith(("data:", "mailto:x"))
    ]
    assert "Wet" in html  # the title is still shown, as text
    empty = client.get(f"{register.url}?q=niets+te+vinden+hier").content.decode()
    assert 'href="javascript:' not in empty


def test_the_http_url_filter():
    from wagtail_algoregister.templatetags.algoregister_tags import http_url

    assert http_url(" https://a.example/x ") == "https://a.example/x"
    assert http_url("HTTP://a.example") == "HTTP://a.example"
    for value in (
        "javascript:alert(1)",
        "https:/x",
        "https://",
        "//a.example",
        "ftp://a.example",
        None,
        "",
    ):
        assert http_url(value) == "", value


def test_every_standard_key_is_still_validated_by_its_definition():
    # The gate adds to the standard's rules, it does not replace them.
    _normalised, errors = validate_entry(full_entry(website="javascript:alert(1)"))
    assert "website" in errors and standard.get("website").format == "url"


def test_a_row_stored_before_the_gate_does_not_take_the_feed_down(client, register):
    page = make_entry(register)
    # Written past save() (an old row, a raw SQL update).
    AlgorithmPage.objects.filter(pk=page.pk).update(
        title="Oud\x0bregister",
        description_short="Kort\x0c",
        category=["Verkeer\x1b"],  # no NUL: PostgreSQL refuses it in text
    )
    response = client.get(f"{register.url}feed.atom")
    assert response.status_code == 200
    assert b"Oudregister" in response.content
