"""The exports report as a Dutch editor uses it: every entry at every target, filtered by
state through Wagtail's filters, "Send again" per entry; screenshots for people."""

import pytest
from django.test import Client

from wagtail_algoregister.models import AlgorithmPage, SyncRecord
from wagtail_algoregister.sync import get_exporter

from ..sync.test_fake_exporter import TARGET
from .conftest import screenshot


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(browser, demo_site, settings, django_user_model):
    from wagtail.users.models import UserProfile

    TARGET.update(entries={}, down=False, writes=0)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "intranet": {"BACKEND": "tests.sync.test_fake_exporter.MemoryExporter"},
            # A portal that nothing answers for: its entries wait for a retry.
            "donl": {
                "BACKEND": "ckan_export.exporter.CkanExporter",
                "URL": "http://127.0.0.1:9",
                "ORGANIZATION": "gemeente-noorderhaaks",
                "PROFILE": "ckan",
                "TOKEN": "t",
                "TIMEOUT": 2,
                "RATE_LIMIT": 0,
            },
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for name in ("intranet", "donl"):
        exporter = get_exporter(name)
        for page in AlgorithmPage.objects.live().filter(locale__language_code="nl")[:4]:
            exporter.sync_key(page.translation_key)
    user = django_user_model.objects.create_superuser("redacteur", "r@example.invalid", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nl"
    profile.save()
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    host = demo_site.split("/")[2].split(":")[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    yield context.new_page()
    context.close()


def test_the_report_in_dutch(report, demo_site):
    page = report
    response = page.goto(f"{demo_site}/admin/exports/")
    assert response.status == 200
    assert page.locator("h1").inner_text().strip() == "Publicatie op andere sites"
    table = page.locator("table.listing")
    assert table.locator("tbody tr").count() == 8  # 4 entries at 2 targets
    assert table.get_by_text("Wacht op verzending").count() == 4
    assert table.get_by_text("poging 1 van 8 mislukt").count() == 4
    assert table.get_by_role("button", name="Opnieuw versturen").count() == 8
    screenshot(page, "exports-report-nl")

    # Wagtail's filters: only what waits, at the portal.
    page.goto(f"{demo_site}/admin/exports/?state=pending&exporter=donl")
    assert page.locator("table.listing tbody tr").count() == 4
    screenshot(page, "exports-report-nl-pending")

    # Send one again: a confirmation message, and the entry waits for its new try.
    first = page.get_by_role("button", name="Opnieuw versturen").first
    first.click()
    page.wait_for_load_state()
    assert "wordt binnenkort opnieuw verstuurd" in page.content()
    assert SyncRecord.objects.filter(state="pending").count() == 4

    # Check and resend all: a confirmation page first.
    page.goto(f"{demo_site}/admin/exports/")
    page.get_by_role("link", name="Alles controleren en opnieuw versturen").click()
    page.wait_for_load_state()
    screenshot(page, "exports-resend-all-nl")
    assert "worden opnieuw vergeleken met: intranet, donl" in page.content()
    assert page.locator("h1").inner_text().strip() == "Alles controleren en opnieuw versturen"
