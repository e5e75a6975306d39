"""The editor's workbench in the real admin (Dutch), in Chromium: drafts and live counts."""

import pytest

from .conftest import ARTIFACTS, axe_violations, screenshot


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(browser, live_server, django_user_model):
    from tests.conftest import ensure_wagtail_tree

    ensure_wagtail_tree()
    django_user_model.objects.create_superuser("redacteur", "redacteur@example.invalid", "pw")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "redacteur")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page
    context.close()


@pytest.fixture
def register_page(live_server):
    from wagtail.models import Page

    from wagtail_algoregister.models import AlgorithmRegisterPage

    home = Page.get_first_root_node().get_children().first()
    register = AlgorithmRegisterPage(
        title="Algoritmeregister",
        slug="algoritmeregister",
        organisation_name="Gemeente Utrecht",
        organisation_code="gm0344",
        default_contact_email="algoritmes@utrecht.example",
    )
    home.add_child(instance=register)
    register.save_revision().publish()
    return register


def add_entry_url(live_server, register):
    return f"{live_server.url}/admin/pages/add/wagtail_algoregister/algorithmpage/{register.pk}/"


def save_draft(page):
    page.get_by_role("button", name="Bewaar concept").click()
    page.wait_for_load_state("networkidle")


def publish(page):
    # The arrow beside "Bewaar concept" opens the other actions.
    page.get_by_role("button", name="Meer acties").click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_load_state("networkidle")


def test_a_draft_with_only_a_title_then_publishing_it(admin_page, live_server, register_page):
    from wagtail_algoregister.models import AlgorithmPage

    page = admin_page
    page.goto(add_entry_url(live_server, register_page))
    page.fill("#id_title", "Parkeervergunningen")
    page.press("#id_title", "Tab")  # leaving the title fills the slug
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    save_draft(page)
    screenshot(page, "admin-draft-saved")
    assert "/edit/" in page.url, page.locator(".error-message, .messages").all_inner_texts()
    entry = AlgorithmPage.objects.get()
    assert entry.title == "Parkeervergunningen" and not entry.live
    screenshot(page, "admin-draft-saved")

    publish(page)
    errors = page.locator(".error-message")
    screenshot(page, "admin-publish-refused")
    # Organisation and contact came from the register; these three are missing.
    assert errors.all_inner_texts() == ["Dit is een verplicht veld."] * 3
    for name in ("description_short", "status", "publication_category"):
        assert page.locator(f"[aria-invalid='true'][name='{name}']").count() == 1, name
    text = page.content()
    assert "Dit is een verplicht veld." in text
    assert "Korte omschrijving: dit veld is verplicht." not in text  # one message per error
    screenshot(page, "admin-publish-refused")
    entry.refresh_from_db()
    assert not entry.live

    # Fill what the standard requires, then publish.
    page.locator("#tab-label-algemene_informatie, [role=tab]").first.click()
    page.fill("#id_description_short", "Wij geven vergunningen om te parkeren.")
    page.select_option("#id_status", "In gebruik")
    page.select_option("#id_publication_category", "Overige algoritmes")
    publish(page)
    entry.refresh_from_db()
    assert entry.live, page.content()[:3000]


def test_live_counts_show_what_is_left_and_never_cut_text(admin_page, live_server, register_page):
    page = admin_page
    page.goto(add_entry_url(live_server, register_page))
    short = page.locator("#id_description_short")
    status = page.locator("#id_description_short-count")
    assert status.inner_text() == "Nog 400 tekens"
    short.fill("Wij helpen inwoners met schulden.")
    assert status.inner_text() == "Nog 367 tekens"
    # Pasting past the limit keeps every character and shows the overrun at once.
    short.fill("x" * 450)
    assert short.input_value() == "x" * 450
    assert status.inner_text() == "50 tekens te veel"
    assert "algoregister-count--over" in status.get_attribute("class")
    assert status.get_attribute("aria-live") == "polite"
    assert "id_description_short-count" in short.get_attribute("aria-describedby")
    status.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "admin-live-count-over.png"))

    # The begin date was cut to "maart 2" by maxlength before.
    page.fill("#id_begin_date", "maart 2024")
    assert page.locator("#id_begin_date").input_value() == "maart 2024"

    # A rich-text field counts its text as the standard does (paragraphs joined by a space).
    page.get_by_role("tab", name="Verantwoord gebruik").click()
    goal = page.locator("#id_goal-count")
    assert goal.inner_text() == "Nog 2500 tekens"
    # The goal's editor: the Draftail editor beside the hidden input of the goal.
    page.locator("#id_goal").locator("xpath=..").locator(".DraftEditor-root").click()
    page.keyboard.type("Inwoners eerder helpen.")
    page.keyboard.press("Enter")
    page.keyboard.type("Zo voorkomen wij schulden.")
    page.wait_for_timeout(800)
    # 23 + 1 (the space between the paragraphs) + 26 = 50 characters, as the standard counts.
    from wagtail_algoregister.standard.validation import text_length

    assert text_length("<p>Inwoners eerder helpen.</p><p>Zo voorkomen wij schulden.</p>") == 50
    assert goal.inner_text() == "Nog 2450 tekens"
    screenshot(page, "admin-live-count")
    problems = [p for p in axe_violations(page) if "algoregister-count" in p or "-count" in p]
    assert problems == []
    assert (ARTIFACTS / "admin-live-count.png").exists()


def axe_in(page, selector):
    """axe-core's WCAG rules on one part of the page (the part this package renders)."""
    from .conftest import AXE

    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (selector) => await axe.run(selector, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations'],
        })""",
        selector,
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def test_quality_tab_and_report(admin_page, live_server, register_page):
    import datetime

    from django.utils import timezone

    from tests.conftest import make_entry
    from wagtail_algoregister.models import LinkCheck

    long = (
        "Het algoritme berekent op basis van gegevens over betalingsachterstanden bij de "
        "woningcorporatie, de energieleverancier en de zorgverzekeraar welke inwoners "
        "mogelijk hulp nodig hebben bij het oplossen van hun schulden."
    )
    entry = make_entry(
        register_page,
        goal=f"<p>{long} Wij verstrekken de gegevens middels een beveiligde verbinding.</p>",
        risks="",
        lawful_basis_grouping=[
            {"title": "Awb", "link": "https://wetten.overheid.nl/BWBR0005537/2022-01-01"}
        ],
    )
    entry.next_review_date = timezone.localdate() + datetime.timedelta(days=12)
    entry.save()
    LinkCheck.objects.create(
        page=entry,
        key="impacttoetsen_grouping",
        position=1,
        url="https://www.utrecht.example/dpia.pdf",
        outcome="not_found",
        status=404,
        checked_at=timezone.now(),
    )
    make_entry(register_page, slug="tweede", source_id="tweede", name="Parkeervergunningen")

    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{entry.pk}/edit/")
    page.get_by_role("tab", name="Kwaliteit").click()
    panel = page.locator(".algoregister-quality")
    panel.wait_for()
    text = panel.inner_text()
    assert "Risicobeheer" in text
    assert "Deze zin heeft 29 woorden" in text
    assert "Schrijf “geven” in plaats van “verstrekken”." in text
    assert "https://wetten.overheid.nl/BWBR0005537" in text
    assert "foutcode 404" in text
    assert "De herziening staat gepland op" in text
    screenshot(page, "admin-quality-tab")
    assert axe_in(page, ".algoregister-quality") == []

    page.goto(f"{live_server.url}/admin/algorithm-quality/")
    table = page.locator("table.listing")
    assert "Parkeervergunningen" in table.inner_text()
    assert "1 werkt niet" in table.inner_text()
    screenshot(page, "admin-quality-report")
    assert axe_violations(page) == []


def test_dashboard_panel(admin_page, live_server, register_page):
    from tests.conftest import make_entry

    make_entry(register_page)
    page = admin_page
    page.goto(f"{live_server.url}/admin/")
    panel = page.locator(".algoregister-dashboard")
    assert "Algoritmeregister" in panel.inner_text()
    screenshot(page, "admin-dashboard")
    assert axe_in(page, ".algoregister-dashboard") == []
    panel.get_by_role("link", name="0 herzieningen zijn nodig").click()
    page.wait_for_url("**/algorithm-quality/?problem=review")
