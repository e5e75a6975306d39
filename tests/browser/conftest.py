"""A real browser (Debian's Chromium, driven by Playwright) against the live test server."""

import os
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(
    os.environ.get("ALGOREGISTER_AXE", ROOT / ".cache/axe-core/node_modules/axe-core/axe.min.js")
)
CHROMIUM = os.environ.get("ALGOREGISTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() or not AXE.exists():
        pytest.fail("Chromium or axe-core missing: run scripts/browser_deps.sh (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    """The example site's demo content, served by the live test server."""
    from django.core.management import call_command
    from wagtail.models import Site

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_demo_content")
    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    return live_server.url


def open_page(browser, url, *, language="nl", width=1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="nl-NL" if language == "nl" else "en-GB"
    )
    host = url.split("/")[2].split(":")[0]
    context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200, url
    return page


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
    ]
