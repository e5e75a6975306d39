"""WCAG 2.2 AA with axe-core, keyboard use and 400% zoom, in both languages, without JavaScript needs."""

import pytest

from .conftest import axe_violations, open_page, screenshot


# Transactional (the live server runs in another thread); restore Wagtail's initial pages after each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def public_pages(base, language="nl"):
    """The pages to check, in ``language``: the demo has an English register and entries."""
    from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

    register = AlgorithmRegisterPage.objects.get(locale__language_code=language)
    entry = register.get_children().live().type(AlgorithmPage).order_by("title").first()
    search = "schulden" if language == "nl" else "debt"
    prefix = "" if language == "nl" else f"/{language}"
    # A Dutch entry without an English version: its language switch says where it goes.
    # (Only in Dutch: English pages never link to it, and /en/ plus its path is no page.)
    english_keys = AlgorithmPage.objects.filter(locale__language_code="en").values(
        "translation_key"
    )
    untranslated = (
        AlgorithmPage.objects.live()
        .filter(locale__language_code="nl")
        .exclude(translation_key__in=english_keys)
        .order_by("title")
        .first()
    )
    pages = {
        "entry-not-translated": f"{base}{untranslated.url}",
        "register-no-results-with-filters": f"{base}{register.url}?q=onvindbaarwoord&status=In+gebruik",
        "register": f"{base}{register.url}",
        "register-filtered": f"{base}{register.url}?status=In+gebruik&publication_category=Impactvolle+algoritmes",
        "register-search": f"{base}{register.url}?q={search}",
        "register-no-results": f"{base}{register.url}?q=onvindbaarwoord",
        "downloads": f"{base}{register.url}#downloads",
        "entry": f"{base}{entry.url}",
        "accessibility-statement": f"{base}{prefix}/toegankelijkheid/",
    }
    if language != "nl":
        del pages["entry-not-translated"]
    return pages


@pytest.mark.parametrize("language", ["nl", "en"])
def test_axe_finds_no_violations(browser, demo_site, language):
    failures = {}
    for name, url in public_pages(demo_site, language).items():
        page = open_page(browser, url, language=language)
        assert page.locator("html").get_attribute("lang") == language
        screenshot(page, f"{language}-{name}")
        problems = axe_violations(page)
        if problems:
            failures[name] = problems
        page.context.close()
    assert failures == {}


def test_pages_work_at_320_pixels_wide(browser, demo_site):
    """400% zoom of a 1280 px window: no horizontal scrolling, nothing cut off."""
    for name, url in public_pages(demo_site).items():
        page = open_page(browser, url, width=320)
        screenshot(page, f"nl-{name}-320px")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 321)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)"""
        )
        assert scroll_width <= 320, f"{name}: page is {scroll_width}px wide at 320px ({wide})"
        page.context.close()


def test_filters_work_with_the_keyboard_only(browser, demo_site):
    url = public_pages(demo_site)["register"]
    page = open_page(browser, url)
    # Tab to the first filter checkbox, tick it with Space, tab to the form's button, press Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    else:
        pytest.fail("No filter checkbox can be reached with Tab")
    name = page.evaluate("document.activeElement.name")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    for _ in range(80):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.type") == "submit"
            and page.evaluate("document.activeElement.form && document.activeElement.form.method")
            == "get"
        ):
            break
    else:
        pytest.fail("No submit button reachable after the filters")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{name}=" in page.url
    # The focus outline is visible on links (WCAG 2.4.7).
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.context.close()


def test_everything_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    url = public_pages(demo_site)["register"]
    assert page.goto(f"{url}?q=schulden").status == 200
    assert page.locator("article, li").count() > 0
    context.close()
