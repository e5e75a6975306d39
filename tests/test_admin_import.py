"""Import and download in the admin (issue 10, item 4): permissions, the file kept
between preview and import, the limits on uploads, the background path, and that the
preview says what the import then does."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.models import GroupPagePermission, PageLogEntry, Revision

from wagtail_algoregister.importing import Action, ImportResult, jobs
from wagtail_algoregister.importing import importer as importer_module
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, ImportJob

from .conftest import full_entry, make_entry


State = ImportJob.State
DATA = Path(__file__).parent / "data" / "import"
INDEX = "algoregister_import:index"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def url(name, *args):
    return reverse(f"algoregister_import:{name}", args=args)


def json_file(records, name="algoritmes.json"):
    return SimpleUploadedFile(
        name, json.dumps(records, ensure_ascii=False).encode("utf-8"), "application/json"
    )


def data_file(name):
    content = (DATA / name).read_bytes()
    return SimpleUploadedFile(Path(name).name, content)


def upload(client, register, records=None, *, file=None, **choices):
    data = {
        "register": register.pk,
        "file": file or json_file(records),
        "publish": "draft",
        "publication_category": "",
        **choices,
    }
    return client.post(url("index"), data)


def latest_job():
    return ImportJob.objects.order_by("-pk").first()


def user_with(django_user_model, name, *, import_permission=True, page_permissions=()):
    """An editor in a group of their own: admin access, the import permission if asked,
    and the given page permissions on every register."""
    user = django_user_model.objects.create_user(name, f"{name}@example.invalid", "pw")
    group = Group.objects.create(name=f"Groep {name}")
    permissions = ["access_admin"] + (["add_importjob"] if import_permission else [])
    group.permissions.add(*Permission.objects.filter(codename__in=permissions))
    for register in AlgorithmRegisterPage.objects.all():
        for codename in page_permissions:
            GroupPagePermission.objects.create(
                group=group,
                page=register,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=f"{codename}_page"
                ),
            )
    user.groups.add(group)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(register, django_user_model):
    return user_with(django_user_model, "redacteur", page_permissions=("add", "change", "publish"))


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


# -- permissions ---------------------------------------------------------------------


def test_without_the_import_permission_every_view_is_refused(register, django_user_model):
    other = client_for(
        user_with(
            django_user_model,
            "lezer",
            import_permission=False,
            page_permissions=("add", "change", "publish"),
        )
    )
    response = other.get(url("index"))
    # Wagtail's answer to a refused admin view: back to the dashboard, with a message.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    response = upload(other, register, [full_entry()])
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not ImportJob.objects.exists()
    # Scripts get a plain 403.
    job = ImportJob.objects.create(register=register, file_name="x.json")
    response = other.get(url("status", job.pk), headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403
    # The menu item is not shown.
    home = other.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") not in home


def test_the_permission_is_offered_to_groups_and_the_menu_shows_it(editor_client):
    offered = Permission.objects.none()
    for hook in hooks.get_hooks("register_permissions"):
        offered |= hook()
    assert offered.filter(codename="add_importjob").exists()
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") in home


def test_another_editors_import_is_not_found(editor_client, register, django_user_model):
    colleague = user_with(django_user_model, "collega", page_permissions=("add",))
    job = ImportJob.objects.create(register=register, user=colleague, file_name="x.json")
    for name in ("job", "status", "report"):
        assert editor_client.get(url(name, job.pk)).status_code == 404
    assert editor_client.post(url("confirm", job.pk)).status_code == 404
    assert editor_client.post(url("cancel", job.pk)).status_code == 404
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_only_registers_the_editor_may_add_to_are_offered(register, home, django_user_model):
    other = AlgorithmRegisterPage(
        title="Ander register", slug="ander", organisation_name="Gemeente Utrecht"
    )
    home.add_child(instance=other)
    editor = user_with(django_user_model, "beperkt", page_permissions=("add",))
    GroupPagePermission.objects.filter(group__user=editor, page=other).delete()
    client = client_for(editor)
    html = client.get(url("index")).content.decode()
    assert f'value="{register.pk}"' in html and f'value="{other.pk}"' not in html
    response = upload(client, other, [full_entry()])
    assert response.status_code == 200
    assert "register" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_publishing_and_updating_need_those_rights_on_the_register(register, django_user_model):
    client = client_for(user_with(django_user_model, "toevoeger", page_permissions=("add",)))
    response = upload(client, register, [full_entry()], publish="publish", update="on")
    errors = response.context["form"].errors
    assert "publiceren" in errors["publish"][0] and "wijzigen" in errors["update"][0]
    assert not ImportJob.objects.exists()
    # As drafts, without updating: allowed.
    response = upload(client, register, [full_entry()])
    assert response.status_code == 302
    assert latest_job().state == State.READY


# -- the file between the steps --------------------------------------------------------


def test_the_file_is_kept_in_the_database_until_the_import_ran(editor_client, register):
    records = [full_entry(source_id=f"b{n}", name=f"Algoritme {n}") for n in range(2)]
    content = json.dumps(records).encode()
    response = upload(
        editor_client, register, file=SimpleUploadedFile("b.json", content, "application/json")
    )
    job = latest_job()
    assert response.url == url("job", job.pk)
    assert job.state == State.READY
    assert bytes(job.data) == content  # in the job's row ...
    assert default_storage.listdir("")[1] == []  # ... and not in the media storage
    assert not AlgorithmPage.objects.exists()  # the preview wrote nothing
    editor_client.post(url("confirm", job.pk))
    job.refresh_from_db()
    assert job.state == State.DONE
    assert bytes(job.data) == b""  # removed once imported
    assert AlgorithmPage.objects.count() == 2


def test_cancel_deletes_the_job_and_its_file(editor_client, register):
    upload(editor_client, register, [full_entry()])
    job = latest_job()
    response = editor_client.post(url("cancel", job.pk))
    assert response.url == url("index")
    assert not ImportJob.objects.exists()
    assert not AlgorithmPage.objects.exists()


def test_abandoned_jobs_are_pruned(register, editor):
    now = timezone.now()
    kept = ImportJob.objects.create(register=register, file_name="nu.json", data=b"x")
    left = ImportJob.objects.create(register=register, file_name="oud.json", data=b"x")
    done = ImportJob.objects.create(register=register, file_name="klaar.json", state=State.DONE)
    old_done = ImportJob.objects.create(register=register, file_name="af.json", state=State.DONE)
    ImportJob.objects.filter(pk=left.pk).update(
        state=State.READY, updated_at=now - timedelta(days=2)
    )
    ImportJob.objects.filter(pk=old_done.pk).update(created_at=now - timedelta(days=31))
    jobs.prune()
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {kept.pk, done.pk}


# -- limits --------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_not_stored_and_the_form_says_so(
    editor_client, register, settings
):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "IMPORT_MAX_FILE_SIZE": 2000}
    big = json.dumps([full_entry(source_id=f"s{n}") for n in range(3)]).encode()
    assert len(big) > 2000
    response = upload(
        editor_client, register, file=SimpleUploadedFile("groot.json", big, "application/json")
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("groot.json: ") and "0 MB" in error, error
    assert "IMPORT_MAX_FILE_SIZE" in error
    # The upload handler skipped the file: the form never got it.
    assert "file" not in response.wsgi_request.FILES
    assert not ImportJob.objects.exists()


def test_the_readers_limits_apply_to_uploads(editor_client, register, settings):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "IMPORT_MAX_ENTRIES": 2}
    upload(editor_client, register, [full_entry(source_id=f"s{n}") for n in range(3)])
    job = latest_job()
    assert job.state == State.FAILED
    assert job.error.startswith("algoritmes.json: ") and "IMPORT_MAX_ENTRIES" in job.error
    assert bytes(job.data) == b""
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert "IMPORT_MAX_ENTRIES" in html
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "IMPORT_MAX_JSON_DEPTH": 3}
    upload(editor_client, register, [full_entry(source_id="diep")])
    assert "IMPORT_MAX_JSON_DEPTH" in latest_job().error
    assert not AlgorithmPage.objects.exists()


# -- preview and import ---------------------------------------------------------------


def mixed_file(register):
    """An existing entry changed, one unchanged, two new, a probable duplicate, a refused one."""
    changed = make_entry(register, source_id="bestaand-1", slug="bestaand-1", name="Bestaand 1")
    same = make_entry(register, source_id="bestaand-2", slug="bestaand-2", name="Bestaand 2")
    return [
        full_entry(source_id="nieuw-1", name="Nieuw 1"),
        full_entry(
            source_id=changed.source_id,
            name="Bestaand 1",
            description_short="Een nieuwe korte omschrijving.",
        ),
        full_entry(source_id=same.source_id, name="Bestaand 2"),
        full_entry(source_id="", name="Bestaand 2"),  # no ids, same name: a duplicate
        full_entry(source_id="fout", name="Fout", status="Actief"),
        full_entry(source_id="nieuw-2", name="Nieuw 2"),
    ]


def actions(result: ImportResult):
    return [
        (e.label, e.action, [(c.key, c.before, c.after) for c in e.changes]) for e in result.entries
    ]


@pytest.mark.parametrize("background", [False, True])
def test_the_preview_says_what_the_import_then_does(editor_client, register, settings, background):
    if background:
        settings.WAGTAIL_ALGOREGISTER = {
            **settings.WAGTAIL_ALGOREGISTER,
            "IMPORT_BACKGROUND_ENTRIES": 2,
        }
    upload(editor_client, register, mixed_file(register), update="on")
    job = latest_job()
    assert job.background is background
    assert job.state == State.READY
    preview = ImportResult.from_dict(job.preview)
    assert [e.action for e in preview.entries] == [
        Action.CREATED,
        Action.UPDATED,
        Action.UNCHANGED,
        Action.DUPLICATE,
        Action.INVALID,
        Action.CREATED,
    ]
    (change,) = preview.entries[1].changes
    assert (change.key, change.after) == ("description_short", "Een nieuwe korte omschrijving.")
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert "status" in html and "Actief" in html  # the importer's own message
    assert "<ins>" in html and "<del>" in html  # the changed words, marked
    editor_client.post(url("confirm", job.pk), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.state == State.DONE, job.error
    result = ImportResult.from_dict(job.result)
    assert actions(result) == actions(preview)
    titles = set(AlgorithmPage.objects.child_of(register).values_list("title", flat=True))
    assert titles == {"Nieuw 1", "Nieuw 2", "Bestaand 1", "Bestaand 2"}
    changed = AlgorithmPage.objects.get(source_id="bestaand-1")
    assert (
        changed.get_latest_revision_as_object().description_short
        == "Een nieuwe korte omschrijving."
    )


def test_a_file_with_refused_entries_writes_nothing_unless_they_are_left_out(
    editor_client, register
):
    records = [full_entry(source_id="goed"), full_entry(source_id="fout", status="Actief")]
    upload(editor_client, register, records)
    job = latest_job()
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert 'name="skip_invalid" value="1"' in html  # "Import without the refused ones"
    # Confirmed without leaving them out (as the command without --skip-invalid).
    editor_client.post(url("confirm", job.pk))
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "1 van de 2" in job.error
    assert not AlgorithmPage.objects.exists()
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert "Actief" in html  # the refused entry with its message


def test_a_file_with_only_refused_entries_offers_no_import(editor_client, register):
    upload(editor_client, register, [full_entry(source_id="fout", status="Actief")])
    job = latest_job()
    assert job.state == State.READY
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert (
        url("confirm", job.pk) not in html
        or 'type="submit" class="button button-longrunning"' not in html
    )
    editor_client.post(url("confirm", job.pk), {"skip_invalid": "1"})
    assert not AlgorithmPage.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(editor_client, register, settings):
    upload(editor_client, register, [full_entry(source_id=f"n{n}") for n in range(3)])
    job = latest_job()
    revisions = Revision.objects.count()
    # A task queue without the queue the import's index task goes to: enqueueing it,
    # after the entries' rows are written, fails inside the import's transaction.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["elders"],
        }
    }
    editor_client.post(url("confirm", job.pk))
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "niets geïmporteerd" in job.error
    assert not AlgorithmPage.objects.exists()
    register.refresh_from_db()
    assert register.numchild == 0
    assert Revision.objects.count() == revisions
    assert bytes(job.data) == b""


def test_a_second_click_on_import_imports_once(editor_client, register):
    upload(editor_client, register, [full_entry(source_id="een")])
    job = latest_job()
    editor_client.post(url("confirm", job.pk))
    editor_client.post(url("confirm", job.pk))
    assert AlgorithmPage.objects.count() == 1


def test_the_choices_reach_the_import(editor_client, editor, register):
    # A file of standard 0.4: no publication category; the editor gives it.
    upload(editor_client, register, file=data_file("national_v0_4.json"))
    job = latest_job()
    preview = ImportResult.from_dict(job.preview)
    assert preview.entries[0].action == Action.INVALID  # "publication_category" missing
    # Check the same file again with the category and "publish", without uploading.
    response = editor_client.post(
        url("job", job.pk),
        {"publish": "publish", "publication_category": "Impactvolle algoritmes"},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert ImportResult.from_dict(job.preview).entries[0].action == Action.CREATED
    editor_client.post(url("confirm", job.pk))
    page = AlgorithmPage.objects.get(source_id="woz-controle")
    assert page.live and page.publication_category == "Impactvolle algoritmes"
    # The editor is the author, as when they save by hand.
    assert page.owner == editor
    assert Revision.page_revisions.filter(object_id=str(page.pk)).get().user == editor
    assert set(PageLogEntry.objects.filter(page=page).values_list("user", flat=True)) == {editor.pk}


def test_drafts_stay_drafts(editor_client, register):
    upload(editor_client, register, [full_entry(source_id="concept")])
    editor_client.post(url("confirm", latest_job().pk))
    page = AlgorithmPage.objects.get(source_id="concept")
    assert not page.live


# -- the background path -------------------------------------------------------------


def test_a_large_file_waits_for_a_worker_and_shows_its_progress(editor_client, register, settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "IMPORT_BACKGROUND_ENTRIES": 2,
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload(editor_client, register, [full_entry(source_id=f"g{n}") for n in range(5)])
    job = latest_job()
    assert (job.state, job.stage, job.background) == (State.CHECKING, "queued", True)
    assert job.task_id
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert "Wacht op zijn beurt" in html
    assert f'href="{url("job", job.pk)}"' in html  # works without JavaScript
    assert "http-equiv" not in html  # no meta refresh (WCAG 2.2.1)
    # Halfway through the check, as a worker writes it.
    ImportJob.objects.filter(pk=job.pk).update(stage="checking", done=2, total=5)
    html = editor_client.get(url("job", job.pk)).content.decode()
    assert 'max="5" value="2"' in html and "2 van 5" in html
    status = editor_client.get(url("status", job.pk)).json()
    assert (status["state"], status["done"], status["total"]) == ("checking", 2, 5)
    # The worker runs the task.
    jobs.preview_task.call(job.pk)
    job.refresh_from_db()
    assert job.state == State.READY and (job.done, job.total) == (5, 5)
    editor_client.post(url("confirm", job.pk))
    job.refresh_from_db()
    assert job.state == State.IMPORTING and not AlgorithmPage.objects.exists()
    jobs.import_task.call(job.pk)
    job.refresh_from_db()
    assert job.state == State.DONE
    assert AlgorithmPage.objects.count() == 5


def test_the_task_writes_its_progress_as_it_goes(register, editor):
    job = ImportJob.objects.create(
        register=register,
        user=editor,
        file_name="g.json",
        data=json.dumps([full_entry(source_id=f"p{n}") for n in range(4)]).encode(),
    )
    seen = []
    progress = jobs.JobProgress(job.pk, interval=0)

    def watching(stage, done, total):
        progress(stage, done, total)
        row = ImportJob.objects.values_list("stage", "done", "total").get(pk=job.pk)
        seen.append(row)

    importer_module.run_import(
        bytes(job.data), register, jobs.options_for(job, dry_run=True), progress=watching
    )
    assert seen == [
        ("reading", 0, 0),
        ("checking", 1, 4),
        ("checking", 2, 4),
        ("checking", 3, 4),
        ("checking", 4, 4),
        ("writing", 0, 4),
    ]


# -- downloads and the report ---------------------------------------------------------


def test_the_registers_files_are_offered_where_they_exist(
    register, home, client, django_user_model
):
    make_entry(register)
    hidden = AlgorithmRegisterPage(title="Concept-register", slug="concept", organisation_name="X")
    home.add_child(instance=hidden)
    hidden.unpublish()
    editor = user_with(django_user_model, "downloader", page_permissions=("add",))
    html = client_for(editor).get(url("index")).content.decode()
    for name in ("export.csv", "export.xlsx", "export.json", "catalog.ttl", "feed.atom"):
        link = f"{register.url}{name}"
        assert f'href="{link}"' in html
        assert client.get(link).status_code == 200  # the public file itself
        assert f'href="{hidden.url or "/concept/"}{name}"' not in html
    assert "nog geen bestanden" in html


def test_the_report_has_every_message_and_is_spreadsheet_safe(editor_client, register):
    upload(
        editor_client,
        register,
        [full_entry(source_id="fout", name="=HYPERLINK(1)", status="Actief")],
    )
    job = latest_job()
    response = editor_client.get(url("report", job.pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Plaats in het bestand"
    (row,) = [r for r in rows[1:] if r[4] == "Status"]
    assert row[1] == "'=HYPERLINK(1)" and row[2] == "Geweigerd" and "Actief" in row[5]


def test_old_fields_are_merged_when_the_editor_chooses_it(editor_client, register):
    upload(editor_client, register, file=data_file("templates/leverancier_a.json"))
    ignored = ImportResult.from_dict(latest_job().preview).entries[0]
    upload(
        editor_client,
        register,
        file=data_file("templates/leverancier_a.json"),
        merge_old_keys="on",
    )
    merged = ImportResult.from_dict(latest_job().preview).entries[0]
    assert any("--merge-old-keys" in note.text for note in ignored.notes)
    assert not any("--merge-old-keys" in note.text for note in merged.notes)
    editor_client.post(url("confirm", latest_job().pk))
    page = AlgorithmPage.objects.get(title="Digitale assistent Vraagbaak")
    assert "Zelflerend" in page.methods_and_models


def test_the_upload_keeps_its_csrf_check(editor, register):
    # The view reads the upload with its own handler first, then checks CSRF itself.
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = upload(client, register, [full_entry()])
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    client.get(url("index"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url("index"),
        {
            "register": register.pk,
            "file": json_file([full_entry()]),
            "publish": "draft",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().state == State.READY
