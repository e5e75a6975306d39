"""Which values are links, and what is wrong with them without fetching."""

import pytest
from django.utils import translation

from wagtail_algoregister.quality.links import (
    entry_links,
    link_keys,
    static_findings,
    undated_law_link,
)

from ..conftest import full_entry


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_link_keys_come_from_the_standard():
    keys = {d.key for d in link_keys()}
    assert keys == {
        "website",
        "url",
        "process_index_url",
        "publiccode",
        "contact_email",
        "lawful_basis_grouping",
        "impacttoetsen_grouping",
        "source_data_grouping",
    }


def test_the_links_of_an_entry():
    entry = full_entry(url="https://register.example/algoritme/1")
    links = [(link.key, link.position, link.url) for link in entry_links(entry)]
    assert links == [
        # contact_email is an e-mail address here: not a link
        ("website", None, "https://www.utrecht.example/schulden"),
        ("url", None, "https://register.example/algoritme/1"),
        ("lawful_basis_grouping", 1, "https://wetten.overheid.nl/BWBR0031048"),
        ("process_index_url", None, "https://www.utrecht.example/verwerkingsregister"),
        ("impacttoetsen_grouping", 1, "https://www.utrecht.example/dpia.pdf"),
        ("source_data_grouping", 1, "https://data.utrecht.example/schulden"),
        ("publiccode", None, "https://github.com/utrecht-example/vroegsignalering"),
    ]
    labels = [str(link.label) for link in entry_links(entry)]
    assert labels[2] == "Verwijzingen wettelijke basis 1"


def test_a_contact_form_is_a_link():
    links = entry_links(full_entry(contact_email="https://www.utrecht.example/contact"))
    assert ("contact_email", "https://www.utrecht.example/contact") in [
        (link.key, link.url) for link in links
    ]


@pytest.mark.parametrize(
    ("url", "undated"),
    [
        (
            "https://wetten.overheid.nl/BWBR0005537/2022-01-01",
            "https://wetten.overheid.nl/BWBR0005537",
        ),
        (
            "https://wetten.overheid.nl/BWBR0005537/2022-01-01#Hoofdstuk4",
            "https://wetten.overheid.nl/BWBR0005537#Hoofdstuk4",
        ),
        (
            "https://wetten.overheid.nl/BWBR0005537/2022-01-01/0/Hoofdstuk4/Artikel4:1",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&hoofdstuk=4&artikel=4:1",
        ),
        (
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:1&g=2022-01-01",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:1",
        ),
        ("https://wetten.overheid.nl/BWBR0005537", ""),
        ("https://wetten.overheid.nl/BWBR0005537/", ""),
        ("https://example.org/BWBR0005537/2022-01-01", ""),
    ],
)
def test_a_dated_law_link_gets_the_undated_one_as_suggestion(url, undated):
    assert undated_law_link(url) == undated
    findings = static_findings(url)
    if undated:
        assert [(f.kind, f.suggestion) for f in findings] == [("pinned_version", undated)]
        assert undated in findings[0].message
    else:
        assert findings == []


@pytest.mark.parametrize(
    ("value", "kind", "suggestion"),
    [
        ("Algemene wet bestuursrecht, artikel 4:1", "not_a_link", ""),
        ("Participatiewet", "not_a_link", ""),
        ("www.utrecht.nl/privacy", "no_scheme", "https://www.utrecht.nl/privacy"),
        ("utrecht.nl", "no_scheme", "https://utrecht.nl"),
        ("ftp://ftp.example.org/file.pdf", "other_scheme", ""),
        ("file:///etc/passwd", "other_scheme", ""),
        ("javascript:alert(1)", "other_scheme", ""),
        ("data:text/html,<b>x</b>", "other_scheme", ""),
        ("mailto:info@utrecht.example", "other_scheme", ""),
        ("https://", "not_a_link", ""),
    ],
)
def test_free_text_and_other_schemes_are_warnings(value, kind, suggestion):
    findings = static_findings(value)
    assert [(f.kind, f.suggestion) for f in findings] == [(kind, suggestion)]
    assert findings[0].message


def test_free_text_in_a_link_field_is_a_link_value_with_a_warning():
    entry = full_entry(
        lawful_basis_grouping=[{"title": "Awb", "link": "Algemene wet bestuursrecht"}]
    )
    link = next(link for link in entry_links(entry) if link.key == "lawful_basis_grouping")
    assert link.url == "Algemene wet bestuursrecht"
    assert [f.kind for f in static_findings(link.url)] == ["not_a_link"]
    assert "geen webadres" in static_findings(link.url)[0].message
