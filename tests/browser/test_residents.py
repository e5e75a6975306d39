"""The register as a resident uses it on a phone and with the keyboard (issue 14)."""

import pytest

from .conftest import axe_violations, screenshot


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest common phone screen; "two screens" is twice its height.
PHONE = {"width": 320, "height": 568}


def register_url(base, language):
    from wagtail_algoregister.models import AlgorithmRegisterPage

    return base + AlgorithmRegisterPage.objects.get(locale__language_code=language).url


def new_page(browser, language, viewport):
    context = browser.new_context(
        viewport=viewport, locale="nl-NL" if language == "nl" else "en-GB"
    )
    return context.new_page()


def top(page, selector):
    """The distance from the top of the document to the element, in CSS pixels."""
    return page.evaluate(
        "s => document.querySelector(s).getBoundingClientRect().top + window.scrollY", selector
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_at_320_pixels_the_first_result_is_within_two_screens(browser, demo_site, language):
    page = new_page(browser, language, PHONE)
    assert page.goto(register_url(demo_site, language)).status == 200
    page.screenshot(
        path=_artifact(f"{language}-register-320px-first-two-screens"),
        clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 2 * PHONE["height"]},
        full_page=True,
    )
    first_card = top(page, ".ar-card")
    assert first_card < 2 * PHONE["height"], f"first result at {first_card}px"
    # The filters are folded (a <details>, no JavaScript) and one keypress away.
    assert page.evaluate("document.querySelector('.ar-filters__panel').open") is False
    assert page.locator(".ar-filters__summary").is_visible()
    assert not page.locator(".ar-check__input").first.is_visible()
    assert axe_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_at_1280_pixels_the_filters_are_open_beside_the_results(browser, demo_site, language):
    page = new_page(browser, language, {"width": 1280, "height": 900})
    page.goto(register_url(demo_site, language))
    assert page.locator(".ar-check__input").first.is_visible()
    assert not page.locator(".ar-filters__summary").is_visible()
    filters = page.locator(".ar-filters").bounding_box()
    results = page.locator(".ar-results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    # "Show results" is next to the filters: one before the first filter, one after the last.
    buttons = page.locator(".ar-filters__apply")
    assert buttons.count() == 2
    assert buttons.first.bounding_box()["y"] < page.locator(".ar-facet").first.bounding_box()["y"]
    # Within one screen of the first checkbox (it was three screens below it).
    checkbox = page.locator(".ar-check__input").first.bounding_box()["y"]
    assert 0 < checkbox - buttons.first.bounding_box()["y"] < 900
    last_facet = page.locator(".ar-facet").last.bounding_box()
    assert buttons.last.bounding_box()["y"] >= last_facet["y"] + last_facet["height"]
    page.context.close()


@pytest.mark.parametrize(
    ("language", "viewport"), [("nl", PHONE), ("en", {"width": 1280, "height": 900})]
)
def test_keyboard_only_filter_then_open_an_entry(browser, demo_site, language, viewport):
    page = new_page(browser, language, viewport)
    page.goto(register_url(demo_site, language))

    def tab_to(condition, limit=120):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(condition):
                return
        pytest.fail(f"Tab never reached: {condition}")

    if viewport is PHONE:
        # Unfold the filters with the keyboard.
        tab_to("document.activeElement.classList.contains('ar-filters__summary')")
        page.keyboard.press("Enter")
        assert page.evaluate("document.querySelector('.ar-filters__panel').open")
    tab_to("document.activeElement.type === 'checkbox'")
    name = page.evaluate("document.activeElement.name")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to("document.activeElement.classList.contains('ar-filters__apply')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{name}=" in page.url and page.url.endswith("#results")
    # The page lands on the results: their heading has the focus and is on screen.
    assert page.evaluate("document.activeElement.id") == "results"
    heading = page.evaluate("document.getElementById('results').getBoundingClientRect().top")
    assert 0 <= heading + 1 < viewport["height"]
    screenshot(page, f"{language}-register-filtered-by-keyboard-{viewport['width']}px")
    # Then on to the first result, and open it.
    tab_to("document.activeElement.matches('.ar-card__title a')")
    title = page.evaluate("document.activeElement.textContent.trim()")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().strip() == title
    page.context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("width", [320, 1280])
def test_entry_page_questions_and_folded_details(browser, demo_site, language, width):
    from wagtail_algoregister.models import AlgorithmPage

    entry = (
        AlgorithmPage.objects.live()
        .filter(
            locale__language_code=language,
            slug__in=["vroegsignalering-schulden", "early-warning-debt"],
        )
        .first()
    ) or AlgorithmPage.objects.live().filter(locale__language_code=language).order_by(
        "title"
    ).first()
    page = new_page(browser, language, {"width": width, "height": 900})
    assert page.goto(demo_site + entry.url).status == 200
    screenshot(page, f"{language}-entry-{width}px")
    # Every contents-list link leads to a heading on the page.
    targets = page.evaluate(
        "[...document.querySelectorAll('.ar-toc a')].map(a => a.getAttribute('href').slice(1))"
    )
    assert len(targets) >= 7
    for target in targets:
        assert page.evaluate("id => document.getElementById(id).tagName", target) == "H2"
    # The technical details are folded away.
    assert page.evaluate("document.querySelector('.ar-details').open") is False
    assert not page.locator(".ar-details dl").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    page.context.close()


def _artifact(name):
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
