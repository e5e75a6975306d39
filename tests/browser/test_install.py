"""The README's install section, followed literally on a fresh `wagtail start` site.

Builds the wheel, installs it into a new virtualenv, makes a site with `wagtail start`
(migrated first, as `wagtail start` says, so it is an existing site with an English
locale), applies the README's settings, URLs, base template and commands word for word,
publishes an entry, and checks the register in Chromium: a real layout, the right
language, no axe violations. Then the README's "Languages" section on that same site.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import axe_violations, screenshot


pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")
LAST_URL_BLOCK = "urlpatterns = urlpatterns + "


def section(title):
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def blocks(text, language):
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def block_starting(text, language, first_line):
    found = [b for b in blocks(text, language) if b.startswith(first_line)]
    assert len(found) == 1, f"README: one {language} block starting {first_line!r}"
    return found[0]


def run(command, cwd, env, timeout=900):
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=isinstance(command, str),
        executable="/bin/bash" if isinstance(command, str) else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def shell_lines(block):
    """The commands of a README ``sh`` block (comments and blank lines left out)."""
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, site, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["python", "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=site,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/", timeout=2)  # noqa: S310 - http://127.0.0.1
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"runserver did not start: {self.process.stdout.read()[-3000:]}")

    def get(self, path):
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


PUBLISH = """
from wagtail.models import Page
from wagtail_algoregister.formats.national import national_to_fields
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, ImpactAssessment
home = Page.objects.get(depth=2).specific
register = home.add_child(instance=AlgorithmRegisterPage(
    title="Algoritmeregister", slug="algoritmeregister", organisation_code="gm0344",
    organisation_name="Gemeente Utrecht", default_contact_email="algoritmes@utrecht.example"))
register.save_revision().publish()
attributes, groupings = national_to_fields({
    "name": "Vroegsignalering van schulden",
    "description_short": "Wij zoeken inwoners met betalingsachterstanden om op tijd hulp aan te bieden.",
    "organization": "Gemeente Utrecht", "category": ["Sociale zekerheid"], "status": "In gebruik",
    "contact_email": "algoritmes@utrecht.example", "publication_category": "Impactvolle algoritmes",
    "goal": "<p>Inwoners met schulden eerder helpen. Meer op https://www.utrecht.example/schulden.</p>",
    "human_intervention": "<p>Een medewerker beoordeelt elke melding.</p>",
    "risks": "<p>Fouten in de gegevens.</p>", "source_data": "<p>Meldingen van verhuurders.</p>",
    "lang": "nld", "standard_version": "1.0",
})
entry = AlgorithmPage(slug="schulden", **attributes)
entry.impacttoetsen_grouping = [ImpactAssessment(title="DPIA", link="")]
register.add_child(instance=entry)
entry.save_revision().publish()
print("published", entry.url)
"""


def check_register(browser, server, path, language, name):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    response = page.goto(f"{server.url}{path}")
    assert response.status == 200, path
    assert page.locator("html").get_attribute("lang") == language
    # The package's stylesheet is loaded: filters beside the results, cards with borders.
    filters = page.locator(".ar-filters").bounding_box()
    results = page.locator(".ar-results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"], (filters, results)
    card = page.locator(".ar-card").first
    assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert card.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth)") >= 1
    screenshot(page, name)
    assert axe_violations(page) == []
    page.goto(f"{server.url}{path}schulden/")
    assert page.locator("h1").inner_text() == "Vroegsignalering van schulden"
    assert axe_violations(page) == []
    page.context.close()


def test_the_readme_install_on_a_fresh_wagtail_start_site(browser, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, os.environ)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"

    install = section("Install into an existing Wagtail site")
    # Step 1: the README's own commands, with the path of this checkout.
    for line in shell_lines(blocks(install, "sh")[0]):
        run(line.replace("path/to/wagtail-algoregister", str(ROOT)), tmp_path, env)
    run(
        "python -c 'import django, wagtail_algoregister; assert django.VERSION[:2] == (5, 2)'",
        tmp_path,
        env,
    )

    # A site as `wagtail start` makes it, migrated as it says: an existing site (locale "en").
    site = tmp_path / "site"
    site.mkdir()
    run(["wagtail", "start", "mysite", str(site)], tmp_path, env)
    run("python manage.py migrate --noinput", site, env)

    # Step 2: settings, at the end.
    settings = site / "mysite" / "settings" / "base.py"
    settings.write_text(
        settings.read_text() + "\n" + block_starting(install, "python", "# settings.py")
    )
    # Step 3: URLs, instead of the last block.
    urls = site / "mysite" / "urls.py"
    text = urls.read_text()
    urls.write_text(
        text[: text.rindex(LAST_URL_BLOCK)] + block_starting(install, "python", "# urls.py")
    )
    # Step 4: the base template's <html lang> and meta block.
    html_line, meta_line = blocks(install, "html")[0].splitlines()[:2]
    base = site / "mysite" / "templates" / "base.html"
    text = base.read_text()
    assert '<html lang="en">' in text
    text = text.replace('<html lang="en">', html_line)
    text = re.sub(
        r"\{% if page.search_description %\}.*?\{% endif %\}",
        lambda m: meta_line,
        text,
        count=1,
        flags=re.S,
    )
    base.write_text(text)
    # Step 5: migrate, the locale of an existing site, the hostname, the check.
    outputs = [run(line, site, env) for line in shell_lines(blocks(install, "sh")[1])]
    assert "wagtail_algoregister.W020" in outputs[0]  # migrate names the locale to rename
    assert "wagtail_algoregister.W" not in outputs[-1], outputs[-1]  # the final check

    run(["python", "manage.py", "shell", "-c", PUBLISH], site, env)
    server = Server(site, env)
    try:
        check_register(browser, server, "/algoritmeregister/", "nl", "install-nl-register-1280px")
        for name in ("export.csv", "export.json", "catalog.ttl", "feed.atom"):
            status, body = server.get(f"/algoritmeregister/{name}")
            assert status == 200, name
        status, feed = server.get("/algoritmeregister/feed.atom")
        assert 'xml:lang="nl"' in feed
        status, catalogue = server.get("/algoritmeregister/catalog.ttl")
        assert '"Vroegsignalering van schulden"@nl' in catalogue
    finally:
        server.stop()

    # Second run: the README's "Languages" section on this existing site.
    languages = section("Languages: entries in Dutch and English")
    settings.write_text(
        settings.read_text() + "\n" + block_starting(languages, "python", "# settings.py")
    )
    text = urls.read_text()
    urls.write_text(
        text[: text.rindex(LAST_URL_BLOCK)] + block_starting(languages, "python", "# urls.py")
    )
    output = run(
        "python manage.py migrate --noinput && python manage.py check --database default", site, env
    )
    assert "wagtail_algoregister.W" not in output, output
    server = Server(site, env)
    try:
        check_register(
            browser, server, "/algoritmeregister/", "nl", "install-languages-nl-register-1280px"
        )
        # The English interface over the (untranslated) Dutch register, its text marked Dutch.
        check_register(
            browser, server, "/en/algoritmeregister/", "en", "install-languages-en-register-1280px"
        )
        status, _body = server.get("/en/algoritmeregister/feed.atom")
        assert status == 200
    finally:
        server.stop()
