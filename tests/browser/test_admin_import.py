"""Import and download in the admin as a Dutch web editor uses it (issue 10, item 4):
upload → preview → import, a refused file, a large file through the task queue with
its progress; axe-core on every view, and screenshots for people."""

import json
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from wagtail.models import GroupPagePermission

from wagtail_algoregister.formats.downloads import national_record
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, ImportJob

from ..conftest import full_entry
from ..test_import_report import TEMPLATES
from .conftest import axe_violations
from .conftest import screenshot as viewport_screenshot


pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def editor_context(browser, demo_site, django_user_model, *, javascript=True):
    """A browser logged in as an editor of the register (not a superuser): a group with
    access to the admin, the import permission and add/edit/publish on the register."""
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.filter(username="redacteur").first()
    if user is None:
        user = django_user_model.objects.create_user("redacteur", "r@example.invalid", "pw")
        group = Group.objects.create(name="Redactie algoritmeregister")
        group.permissions.add(
            *Permission.objects.filter(codename__in=("access_admin", "add_importjob"))
        )
        for register in AlgorithmRegisterPage.objects.all():
            for codename in ("add", "change", "publish"):
                GroupPagePermission.objects.create(
                    group=group,
                    page=register,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=f"{codename}_page"
                    ),
                )
        user.groups.add(group)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "nl"
        profile.save()
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL", java_script_enabled=javascript
    )
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
    return context


@pytest.fixture
def editor(browser, demo_site, django_user_model):
    context = editor_context(browser, demo_site, django_user_model)
    yield context.new_page()
    context.close()


def register():
    return AlgorithmRegisterPage.objects.get(locale__language_code="nl")


def upload(page, demo_site, records, *, name="algoritmes.json", update=False, content=None):
    page.goto(f"{demo_site}/admin/")
    page.get_by_role("link", name="Importeren", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "Importeren en downloaden"
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "application/json",
                "buffer": content or json.dumps(records, ensure_ascii=False).encode("utf-8"),
            }
        ]
    )
    if update:
        page.get_by_label("Algoritmes bijwerken die al in het register staan").check()
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()


def screenshot(page, name):
    """The whole page: the admin scrolls its content inside the window, so the window is
    made as tall as the content first."""
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(document.documentElement.scrollHeight,"
        " ...[...document.querySelectorAll('main, .content-wrapper')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    viewport_screenshot(page, name)
    page.set_viewport_size(size)


def no_violations(page):
    violations = axe_violations(page)
    assert not violations, violations


def test_upload_preview_and_import(editor, demo_site):
    page = editor
    reg = register()
    existing = AlgorithmPage.objects.child_of(reg).live().order_by("path").first()
    changed = national_record(existing)
    changed["description_short"] = "Een nieuwe korte omschrijving, uit het bestand."
    # A supplier's template: keys of older versions (ignored, each with a note).
    template = json.loads((TEMPLATES / "leverancier_a.json").read_text("utf-8"))[0]
    records = [
        full_entry(source_id="import-nieuw-1", name="Parkeervergunningen toekennen"),
        template,
        changed,
        full_entry(
            source_id="import-fout", name="Meldingen openbare ruimte sorteren", status="Actief"
        ),
        full_entry(source_id="import-nieuw-2", name="Afvalroutes plannen"),
    ]
    before = AlgorithmPage.objects.count()

    page.goto(f"{demo_site}/admin/algorithm-import/")
    screenshot(page, "import-index-nl")
    no_violations(page)
    # The register's files, the same as the public ones.
    for name in ("export.csv", "export.xlsx", "export.json", "catalog.ttl", "feed.atom"):
        assert page.locator(f"a[href='{reg.url}{name}']").count() == 1, name

    upload(page, demo_site, records, update=True)
    assert page.get_by_role("heading", name="Wat de import zal doen").is_visible()
    assert AlgorithmPage.objects.count() == before  # the preview wrote nothing
    assert page.get_by_role("heading", name="Geweigerd (1)").is_visible()
    assert page.get_by_role("heading", name="Worden toegevoegd (3)").is_visible()
    notes = page.locator("#algoregister-created details")
    assert (
        notes.locator("summary")
        .inner_text()
        .endswith("opmerkingen over wat de import met het bestand deed")
    )
    notes.locator("summary").click()
    assert "“type”" in notes.inner_text()
    assert page.get_by_role("heading", name="Worden gewijzigd (1)").is_visible()
    # The importer's own message, with the field's label.
    refused = page.locator("#algoregister-invalid")
    assert "Status" in refused.inner_text() and "Actief" in refused.inner_text()
    # The field-level change: now and after, the changed words marked.
    changes = page.locator("#algoregister-updated table")
    assert changes.locator("th[scope=row]").first.inner_text() == "Korte omschrijving"
    assert "uit het bestand" in " ".join(changes.locator("ins").all_inner_texts())
    assert changes.locator("del").count() >= 1
    screenshot(page, "import-preview-nl")
    no_violations(page)

    page.get_by_role("button", name="Importeren zonder de geweigerde").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Geïmporteerd", exact=True).is_visible()
    screenshot(page, "import-done-nl")
    no_violations(page)
    titles = set(AlgorithmPage.objects.child_of(reg).values_list("title", flat=True))
    assert {"Parkeervergunningen toekennen", "Afvalroutes plannen", template["name"]} <= titles
    assert "Meldingen openbare ruimte sorteren" not in titles
    assert AlgorithmPage.objects.count() == before + 3
    existing.refresh_from_db()
    assert (
        existing.get_latest_revision_as_object().description_short
        == "Een nieuwe korte omschrijving, uit het bestand."
    )
    # New entries are drafts (the default), by the editor.
    new = AlgorithmPage.objects.get(source_id="import-nieuw-1")
    assert not new.live and new.owner.username == "redacteur"
    # The start page lists the import.
    page.get_by_role("link", name="Nog een bestand importeren").click()
    page.wait_for_load_state()
    recent = page.locator("#algoregister-recent-heading + * table, table.listing").last
    assert "algoritmes.json" in recent.inner_text() and "Geïmporteerd" in recent.inner_text()
    screenshot(page, "import-index-recent-nl")
    no_violations(page)
    # The register's own admin page offers the import too.
    page.goto(f"{demo_site}/admin/pages/{reg.pk}/")
    page.get_by_role("button", name="Acties").first.click()
    assert page.get_by_role("link", name="Importeren en downloaden").count() >= 1


def test_a_refused_or_unreadable_file_writes_nothing(editor, demo_site):
    page = editor
    before = AlgorithmPage.objects.count()
    records = [
        full_entry(source_id="fout-1", name="Fout een", status="Actief"),
        full_entry(source_id="fout-2", name="Fout twee", begin_date="maart 2024"),
    ]
    upload(page, demo_site, records)
    assert page.get_by_role("heading", name="Geweigerd (2)").is_visible()
    assert "begin_date" in page.locator("#algoregister-invalid").inner_text()
    assert page.get_by_role("button", name="Importeren", exact=True).count() == 0
    assert page.get_by_role("button", name="Importeren zonder de geweigerde").count() == 0
    assert "Er is niets te importeren" in page.content()
    screenshot(page, "import-refused-nl")
    no_violations(page)
    page.get_by_role("button", name="Annuleren").click()
    page.wait_for_load_state()
    assert "is geannuleerd" in page.content()
    assert not ImportJob.objects.exists()

    upload(page, demo_site, None, name="kapot.json", content=b'[{"name": ')
    assert page.get_by_role("heading", name="Er is niets geïmporteerd").is_visible()
    assert "kapot.json" in page.locator(".help-critical").inner_text()
    screenshot(page, "import-failed-nl")
    no_violations(page)
    assert AlgorithmPage.objects.count() == before


def worker_in_thread():
    """django-tasks-db's worker (as ``manage.py db_worker --batch``) in a thread: it runs
    what is queued and stops."""

    def run():
        try:
            Worker(
                queue_names=["default"],
                interval=0.1,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_large_file_runs_in_the_background_with_progress(
    editor, demo_site, settings, browser, django_user_model
):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "IMPORT_BACKGROUND_ENTRIES": 3,
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page = editor
    reg = register()
    before = AlgorithmPage.objects.child_of(reg).count()
    records = [
        full_entry(source_id=f"groot-{n}", name=f"Algoritme {n} uit een groot bestand")
        for n in range(8)
    ]
    upload(page, demo_site, records)
    job = ImportJob.objects.get()
    assert job.background and job.state == "checking"
    assert page.get_by_role("heading", name="Het bestand wordt gecontroleerd").is_visible()
    status = page.locator("[data-algoregister-import-text]")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Wacht op zijn beurt."
    screenshot(page, "import-progress-queued-nl")
    no_violations(page)
    # Halfway, as the worker writes it: the bar and the count.
    ImportJob.objects.filter(pk=job.pk).update(stage="checking", done=3, total=8)
    page.reload()
    assert page.locator("progress").get_attribute("value") == "3"
    assert "3 van 8 algoritmes gecontroleerd" in page.content()
    screenshot(page, "import-progress-nl")
    no_violations(page)

    # The worker checks the file; the page's script notices and shows the preview.
    worker_in_thread().join(timeout=120)
    page.get_by_role("heading", name="Wat de import zal doen").wait_for(timeout=20_000)
    assert page.get_by_role("heading", name="Worden toegevoegd (8)").is_visible()

    # Without JavaScript: the import waits for the worker, a button shows the progress.
    context = editor_context(browser, demo_site, django_user_model, javascript=False)
    plain = context.new_page()
    plain.goto(f"{demo_site}/admin/algorithm-import/{job.pk}/")
    plain.get_by_role("button", name="Importeren", exact=True).click()
    plain.wait_for_load_state()
    assert plain.get_by_role("heading", name="De algoritmes worden geïmporteerd").is_visible()
    assert "Alles wordt in één keer opgeslagen" in plain.content()
    screenshot(plain, "import-progress-importing-nl")
    # axe-core needs scripts: the same page in the editor's other window.
    page.goto(f"{demo_site}/admin/algorithm-import/{job.pk}/")
    no_violations(page)
    assert AlgorithmPage.objects.child_of(reg).count() == before
    worker_in_thread().join(timeout=120)
    plain.get_by_role("link", name="Toon de voortgang nu").click()
    plain.wait_for_load_state()
    assert plain.get_by_role("heading", name="Geïmporteerd", exact=True).is_visible()
    context.close()
    assert AlgorithmPage.objects.child_of(reg).count() == before + 8
    job.refresh_from_db()
    assert job.state == "done" and bytes(job.data) == b""
