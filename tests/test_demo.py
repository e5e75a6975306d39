"""The example site's demo content, menu, sitemap, and `make demo`."""

import json
import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from django.core.management import call_command

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard.validation import validate_entry


ROOT = Path(__file__).resolve().parent.parent


def load():
    from home.management.commands.load_demo_content import load_data

    return load_data()


def load_english():
    from home.management.commands.load_demo_content import load_english

    return load_english()


def test_demo_content_passes_the_standards_validation():
    data = load()
    assert len(data["entries"]) >= 12
    for entry in data["entries"]:
        _normalised, errors = validate_entry(entry)
        assert errors == {}, (entry["name"], errors)


def test_demo_content_covers_every_status_and_publication_category():
    entries = load()["entries"]
    for key in ("status", "publication_category"):
        assert {e[key] for e in entries} == set(standard.get(key).permitted_values)


def test_load_demo_content_builds_a_site(db, client):
    call_command("load_demo_content", "--admin")
    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    data = load()
    drafts = [e["name"] for e in data["entries"] if not e.get("live", True)]
    dutch = AlgorithmPage.objects.filter(locale__language_code="nl")
    assert dutch.count() == len(data["entries"])
    assert dutch.live().count() == len(data["entries"]) - len(drafts)
    html = client.get(register.url).content.decode()
    for entry in dutch.live():
        assert escape(entry.title) in html
        assert client.get(entry.url).status_code == 200
    # The English versions: the home page, the register and some entries.
    english = AlgorithmPage.objects.live().filter(locale__language_code="en")
    assert english.count() == len(load_english()["entries"]) >= 3
    register_en = AlgorithmRegisterPage.objects.get(locale__language_code="en")
    html_en = client.get(register_en.url).content.decode()
    assert register_en.url.startswith("/en/")
    for entry in english:
        assert entry.get_parent().pk == register_en.pk
        assert escape(entry.title) in html_en
        assert client.get(entry.url).status_code == 200
        # Every text of the standard was translated: none is the Dutch text.
        source = entry.get_translation(dutch.first().locale)
        for key, definition in standard.input_fields().items():
            if definition.is_rich_text or key in ("name", "description_short", "tags"):
                value = getattr(entry, definition.attribute)
                if value:
                    assert value != getattr(source, definition.attribute), (entry.slug, key)
    assert client.get("/en/").status_code == 200
    for name in drafts:
        assert escape(name) not in html
    care = client.get("/zorg-en-welzijn/")
    assert care.status_code == 200
    # Running it again changes nothing.
    call_command("load_demo_content")
    assert dutch.count() == len(data["entries"])
    assert AlgorithmPage.objects.filter(locale__language_code="en").count() == english.count()


def test_every_page_has_a_menu_with_the_register_and_the_care_page(db, client):
    call_command("load_demo_content")
    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    entry = AlgorithmPage.objects.live().filter(locale__language_code="nl").first()
    for url in ("/", register.url, entry.url, "/zorg-en-welzijn/", "/toegankelijkheid/"):
        html = client.get(url).content.decode()
        nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
        assert nav, url
        assert f'href="{register.url}"' in nav.group(0), url
        assert 'href="/zorg-en-welzijn/"' in nav.group(0), url
    # In English the register is the English one; the care page (not translated) stays Dutch.
    html = client.get("/en/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    register_en = AlgorithmRegisterPage.objects.get(locale__language_code="en")
    assert f'href="{register_en.url}"' in nav and 'href="/zorg-en-welzijn/"' in nav


def test_sitemap_lists_registers_and_entries_in_both_languages_and_robots_names_it(db, client):
    call_command("load_demo_content")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for page in [
        *AlgorithmRegisterPage.objects.live(),
        *AlgorithmPage.objects.live().filter(locale__language_code__in=["nl", "en"]),
    ]:
        location = f"<loc>{page.get_full_url()}</loc>"
        assert location in xml, page.url
        block = xml[xml.index(location) :]
        block = block[: block.index("</url>")]
        assert f"<lastmod>{page.last_published_at.date().isoformat()}" in block
    assert "/en/algorithm-register/" in xml
    # Drafts are not in it.
    for draft in AlgorithmPage.objects.filter(live=False):
        assert draft.slug not in xml
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


@pytest.mark.slow
def test_make_demo_fills_the_search_index(tmp_path):
    """The demo's own steps (the Makefile's demo-data) from an empty database, then search."""
    database = tmp_path / "demo.sqlite3"
    # The example site's own settings (not the tests'), and no inline tasks but the Makefile's.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ALGOREGISTER_IMMEDIATE_TASKS", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    result = subprocess.run(
        ["make", "--no-print-directory", "demo-data"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert database.exists()
    # A fresh process without the variable: it reads what make demo left behind.
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEARCH_DEMO],
        cwd=ROOT / "example_site",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["pending_tasks"] == 0
    # SQLite: whole words, and word beginnings ("schuld" finds "schulden").
    for word in ("schulden", "schuld", "parkeer", "parkeren"):
        assert counts[word] >= 1, counts


@pytest.mark.slow
def test_make_demo_serves_styled_pages(tmp_path):
    """`make demo` as a new user runs it: the register page and its stylesheet answer."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ALGOREGISTER_IMMEDIATE_TASKS", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "demo", f"DEMO_ADDRESS=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                page = urllib.request.urlopen(f"{base}/algoritmeregister/", timeout=10)  # noqa: S310
                break
            except OSError:
                assert server.poll() is None, "make demo stopped"
                assert time.monotonic() < deadline, "make demo did not serve in 10 minutes"
                time.sleep(2)
        html = page.read().decode()
        stylesheet = re.search(
            r'href="(/static/wagtail_algoregister/css/register[^"]*\.css)"', html
        )
        assert stylesheet, "the register page links its stylesheet"
        css = urllib.request.urlopen(base + stylesheet.group(1), timeout=10)  # noqa: S310
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


SEARCH_DEMO = """
import json, re
from django.test import Client
from django_tasks_db.models import DBTaskResult
client = Client()
from django.conf import settings
assert settings.SETTINGS_MODULE == "example_site.settings", settings.SETTINGS_MODULE
counts = {"pending_tasks": DBTaskResult.objects.filter(status="READY").count()}
for word in ("schulden", "schuld", "parkeer", "parkeren"):
    html = client.get("/algoritmeregister/", {"q": word}).content.decode()
    counts[word] = len(re.findall(r'<li class="ar-card">', html))
print(json.dumps(counts))
"""
