"""Version history, feedback form and words explained in a real browser (issue 14, items 1-3).

axe-core on every new page in Dutch and English, screenshots at 320 and 1280 px,
no horizontal scrolling at 320 px, and the feedback form sent with the keyboard only.
"""

import pytest

from .conftest import axe_violations, open_page, screenshot


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _with_history(entry, note, **changes):
    """Two more published versions (the second with the editors' note) and a draft."""
    from wagtail_algoregister.models import AlgorithmPage

    page = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.change_note = ""
    page.save_revision().publish()
    page = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    page.human_intervention = f"{page.human_intervention}<p>{note}</p>"
    page.change_note = note
    page.save_revision().publish()
    draft = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    draft.goal = "<p>Concepttekst die niemand mag zien.</p>"
    draft.save_revision()
    return AlgorithmPage.objects.get(pk=entry.pk)


@pytest.fixture
def resident_site(demo_site):
    """The demo, with a Dutch and an English entry that have three versions and a draft."""
    from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

    entries = {}
    for language, note, tags in (
        ("nl", "Een medewerker controleert nu elke signalering binnen twee dagen.", "nieuw, extra"),
        ("en", "An employee now checks every signal within two days.", "new, extra"),
    ):
        register = AlgorithmRegisterPage.objects.get(locale__language_code=language)
        entry = register.get_children().live().type(AlgorithmPage).order_by("title").first()
        entries[language] = _with_history(entry.specific, note, tags=tags)
    return demo_site, entries


def new_pages(base, entries, language):
    from wagtail_algoregister.models import AlgorithmRegisterPage

    entry = entries[language]
    register = AlgorithmRegisterPage.objects.get(locale__language_code=language)
    return {
        "versions": f"{base}{entry.url}versions/",
        "version-diff": f"{base}{entry.url}versions/3/",
        "version-first": f"{base}{entry.url}versions/1/",
        "feedback": f"{base}{entry.url}feedback/",
        "glossary": f"{base}{register.url}glossary/",
    }


def send_feedback(page, message):
    """Fill in and send the form, waiting out the minimum fill time."""
    page.fill("#id_message", message)
    page.fill("#id_name", "Anna de Vries")
    page.fill("#id_email", "anna@example.nl")
    page.wait_for_timeout(3200)
    with page.expect_navigation():
        page.click("button[type=submit]")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_axe_finds_no_violations_on_the_new_pages(browser, resident_site, language):
    base, entries = resident_site
    failures = {}
    for name, url in new_pages(base, entries, language).items():
        for width in (1280, 320):
            page = open_page(browser, url, language=language, width=width)
            assert page.locator("html").get_attribute("lang") == language
            assert "Concepttekst" not in page.content()
            screenshot(page, f"{language}-{name}-{width}px")
            if width == 1280:
                problems = axe_violations(page)
                if problems:
                    failures[name] = problems
            page.context.close()

    # The acknowledgement, after a real sending, and the form with its error summary.
    page = open_page(browser, new_pages(base, entries, language)["feedback"], language=language)
    page.click("button[type=submit]")  # empty: the errors are named
    page.wait_for_load_state()
    screenshot(page, f"{language}-feedback-errors-1280px")
    if problems := axe_violations(page):
        failures["feedback-errors"] = problems
    send_feedback(page, "De link naar het verwerkingsregister werkt niet.")
    assert page.locator(".ar-reference").inner_text().startswith("AR-")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{language}-feedback-received-{width}px")
    if problems := axe_violations(page):
        failures["feedback-received"] = problems
    page.context.close()

    # The entry and register pages with their explanations opened.
    from wagtail_algoregister.models import AlgorithmRegisterPage

    register = AlgorithmRegisterPage.objects.get(locale__language_code=language)
    for name, url in (("entry", entries[language].url), ("register", register.url)):
        page = open_page(browser, f"{base}{url}", language=language)
        for summary in page.locator("details.ar-terms > summary").all()[:3]:
            summary.click()
        screenshot(page, f"{language}-{name}-terms-open")
        if problems := axe_violations(page):
            failures[f"{name}-terms-open"] = problems
        page.context.close()
    assert failures == {}


def test_the_new_pages_work_at_320_pixels_wide(browser, resident_site):
    base, entries = resident_site
    for name, url in new_pages(base, entries, "nl").items():
        page = open_page(browser, url, width=320)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{name}: page is {scroll_width}px wide at 320px"
        page.context.close()


def test_the_diff_is_not_colour_alone(browser, resident_site):
    base, entries = resident_site
    page = open_page(browser, new_pages(base, entries, "nl")["version-diff"])
    added = page.locator("ins.ar-diff__added").first
    assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert added.locator(".ar-visually-hidden").first.inner_text().startswith("[toegevoegd")
    page.context.close()


def test_send_feedback_with_the_keyboard_only(browser, resident_site):
    from wagtail_algoregister.models import Feedback

    base, entries = resident_site
    entry = entries["nl"]
    page = open_page(browser, f"{base}{entry.url}")
    # From the entry page: Tab to the link to the form and follow it with Enter.
    for _ in range(200):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("/feedback/"):
            break
    else:
        pytest.fail("The feedback link cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/feedback/")

    def tab_to(selector):
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        pytest.fail(f"{selector} cannot be reached with Tab")

    tab_to("#id_message")
    page.keyboard.type("De uitleg over menselijke tussenkomst klopt niet meer.")
    tab_to("#id_name")
    page.keyboard.type("Anna")
    page.keyboard.press("Tab")
    # The trap for robots is not in the tab order: the next stop is the e-mail field.
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.keyboard.type("anna@example.nl")
    page.wait_for_timeout(3200)
    tab_to("button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/feedback/received/" in page.url
    reference = page.locator(".ar-reference").inner_text()
    feedback = Feedback.objects.get()
    assert feedback.reference == reference
    assert feedback.message == "De uitleg over menselijke tussenkomst klopt niet meer."
    page.context.close()


def test_an_editor_handles_a_message_in_the_dutch_admin(browser, resident_site):
    """The inbox as an editor sees it: the message, the state, who handled it."""
    from django.contrib.auth import get_user_model

    from wagtail_algoregister.models import Feedback

    base, entries = resident_site
    page = open_page(browser, f"{base}{entries['nl'].url}feedback/")
    send_feedback(page, "Het e-mailadres in de beschrijving werkt niet.")
    reference = page.locator(".ar-reference").inner_text()
    page.context.close()

    get_user_model().objects.create_superuser("redacteur", "r@example.nl", "geheim-wachtwoord")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    admin = context.new_page()
    admin.goto(f"{base}/admin/login/")
    admin.fill("#id_username", "redacteur")
    admin.fill("#id_password", "geheim-wachtwoord")
    with admin.expect_navigation():
        admin.click("button[type=submit]")
    admin.goto(f"{base}/admin/algoregister_feedback/?status=new")
    assert admin.get_by_text(reference).count() == 1
    assert "Berichten van inwoners" in admin.content()
    screenshot(admin, "nl-admin-feedback-inbox")
    admin.get_by_role("link", name=reference).click()
    admin.wait_for_load_state()
    assert "Het e-mailadres in de beschrijving werkt niet." in admin.content()
    screenshot(admin, "nl-admin-feedback-message")
    admin.select_option("#id_status", "answered")
    admin.fill("#id_internal_note", "Adres aangepast en inwoner gemaild.")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Opslaan", exact=True).click()
    feedback = Feedback.objects.get(reference=reference)
    assert feedback.status == "answered" and feedback.handled_by.username == "redacteur"
    admin.goto(f"{base}/admin/snippets/wagtail_algoregister/glossaryterm/")
    # The shipped words, first page of the list (sorted by word).
    assert admin.get_by_role("link", name="algoritme", exact=True).count() == 1
    screenshot(admin, "nl-admin-glossary")
    admin.goto(f"{base}/admin/pages/{entries['nl'].pk}/edit/")
    assert admin.locator("#id_change_note").count() == 1
    admin.locator("#id_change_note").scroll_into_view_if_needed()
    admin.screenshot(path=str(_artifact("nl-admin-change-note")))
    context.close()


def _artifact(name):
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
