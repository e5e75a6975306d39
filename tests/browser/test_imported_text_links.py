"""An entry imported from a vendor template with text in its link fields, as a resident sees it."""

from io import StringIO
from pathlib import Path

import pytest

from .conftest import axe_violations, open_page, screenshot


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE = (
    Path(__file__).resolve().parents[1] / "data" / "import" / "templates" / "leverancier_b.json"
)


def test_text_in_link_fields_is_text_at_320_pixels(browser, demo_site):
    from django.core.management import call_command

    from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    call_command(
        "algoregister_import",
        str(TEMPLATE),
        "--register",
        str(register.pk),
        "--publish",
        stdout=StringIO(),
    )
    entry = AlgorithmPage.objects.child_of(register).get(title="Routeplanner afvalinzameling")
    page = open_page(browser, f"{demo_site}{entry.url}", width=320)
    screenshot(page, "nl-entry-text-links-320px")
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    # Text is never a link; the real address in the same entry is.
    assert "https://www.rekenhuis.example/contact" in hrefs
    for text in (
        "www.rekenhuis.example",
        "Broncode",
        "Wet milieubeheer",
        "https://data.rekenhuis.example",
    ):
        assert not [h for h in hrefs if h.startswith(text)], (text, hrefs)
    body = page.inner_text("main")
    assert "www.rekenhuis.example/routeplanner" in body
    assert "Broncode op aanvraag bij de leverancier" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    page.context.close()
