"""Link values that are not http(s) addresses show as text, never as a link a browser
would follow or run (issue 13, item 5), on a phone-sized screen, without axe violations."""

import pytest

from wagtail_algoregister.models import AlgorithmPage, LawfulBasisLink

from .conftest import axe_violations, open_page, screenshot


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_free_text_and_script_links_show_as_text(browser, demo_site):
    entry = AlgorithmPage.objects.filter(live=True, locale__language_code="nl").first()
    entry.website = "javascript:alert(document.domain)"
    entry.lawful_basis_grouping = [
        LawfulBasisLink(title="Gemeentewet", link="zie artikel 160 van de Gemeentewet"),
        LawfulBasisLink(title="Participatiewet", link="https://wetten.overheid.nl/BWBR0015703"),
    ]
    entry.save(clean=False)  # as code may save it, past the admin's validation
    page = open_page(browser, f"{demo_site}{entry.url}", width=320)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert not [href for href in hrefs if not href.startswith(("/", "#", "http", "mailto:"))]
    assert "https://wetten.overheid.nl/BWBR0015703" in hrefs
    body = page.inner_text("body")
    assert "javascript:alert(document.domain)" in body  # shown as text
    assert "Gemeentewet: zie artikel 160 van de Gemeentewet" in body
    screenshot(page, "nl-entry-link-values-as-text-320px")
    assert axe_violations(page) == []
