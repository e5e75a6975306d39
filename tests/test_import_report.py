"""The importer says what it did, and accepts what the national register accepts.

Files shaped like the national register's vendor templates (``tests/data/import/templates``,
written for these tests): keys of older versions in 1.0 records, text in link fields,
empty grouping rows, no ids. Each point of issue 12 item 2 has a test here.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.conftest import call_command_in_english, full_entry, make_entry
from wagtail_algoregister import standard
from wagtail_algoregister.importing import Action, ImportFailed, Options, run_import
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard.validation import link_problems


pytestmark = pytest.mark.usefixtures("english")

TEMPLATES = Path(__file__).parent / "data" / "import" / "templates"


def run(path, register, *args):
    out, err = StringIO(), StringIO()
    call_command_in_english(
        "algoregister_import",
        str(path),
        "--register",
        str(register.pk),
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def write_json(tmp_path, data, name="entries.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def entries(register):
    return {p.title: p for p in AlgorithmPage.objects.child_of(register)}


def template(name):
    return json.loads((TEMPLATES / name).read_text("utf-8"))


# -- old keys in 1.0 records -----------------------------------------------------------


def test_old_keys_of_a_1_0_file_are_ignored_and_reported_per_entry_by_default(register):
    out, err = run(TEMPLATES / "leverancier_a.json", register)
    assert "created: 2" in out, (out, err)
    lines = out.splitlines()
    assistant = 'entry 1 ("Digitale assistent Vraagbaak")'
    anonymise = 'entry 2 ("Documenten anonimiseren")'

    def line(where, key):
        found = [text for text in lines if text.startswith(f"{where}: “{key}”")]
        assert len(found) == 1, (where, key, lines)
        return found[0]

    # Each key, with its value, what happened (ignored), and where it would go.
    typed = line(assistant, "type")
    assert "“Zelflerend”" in typed and "standard 0.4" in typed and "ignored" in typed
    assert "methods_and_models" in typed and "--merge-old-keys" in typed
    assert "source_data_grouping" in line(assistant, "source_data_link")
    assert "impacttoetsen" in line(assistant, "iama_description")
    assert "“Nee”" in line(anonymise, "type")
    assert "kantoorformaten" in line(anonymise, "source_data_link")
    # Empty old keys (uuid: null) are not reported: there is nothing to lose.
    assert not [text for text in lines if "“uuid”" in text]
    # Ignored as the national register ignores them: the 1.0 fields are the file's.
    pages = entries(register)
    page = pages["Digitale assistent Vraagbaak"]
    assert "Zelflerend" not in page.methods_and_models
    assert page.methods_and_models == template("leverancier_a.json")[0]["methods_and_models"]
    assert page.standard_value("source_data_grouping") == [
        {
            "title": "Landelijke antwoordenbank",
            "link": "https://www.voorbeeldsoft.example/antwoordenbank",
        }
    ]
    assert page.impacttoetsen == ""


def test_merge_old_keys_merges_them_and_says_where_without_duplicate_rows(register):
    out, err = run(TEMPLATES / "leverancier_a.json", register, "--merge-old-keys")
    assert "created: 2" in out, (out, err)
    page = entries(register)["Digitale assistent Vraagbaak"]
    assert "<p>(Zelf)lerend:</p><p>Zelflerend</p>" in page.methods_and_models
    assert "Een IAMA is gepland voor 2026." in page.impacttoetsen
    # The same link as the grouping's row is not added a second time (and said so).
    assert len(page.standard_value("source_data_grouping")) == 1
    assert any(
        "“source_data_link”" in text and "is there already" in text for text in out.splitlines()
    ), out
    assert any(
        text.startswith('entry 1 ("Digitale assistent Vraagbaak"): “type”')
        and "was added to" in text
        and "methods_and_models" in text
        for text in out.splitlines()
    ), out
    other = entries(register)["Documenten anonimiseren"]
    # The 0.4 single link held text: a row under the old field's title, the text kept.
    assert other.standard_value("source_data_grouping") == [
        {
            "title": "Link naar gegevensbronnen",
            "link": template("leverancier_a.json")[1]["source_data_link"],
        }
    ]


def test_a_refused_value_from_an_old_key_names_that_key(tmp_path, register):
    record = full_entry(source_id="lang", methods_and_models="<p>" + "x" * 4990 + "</p>")
    record["type"] = "Zelflerend, getraind op " + "y" * 100  # appended: over the limit
    err = StringIO()
    with pytest.raises(CommandError):
        call_command_in_english(
            "algoregister_import",
            str(write_json(tmp_path, [record])),
            "--register",
            str(register.pk),
            "--merge-old-keys",
            stderr=err,
        )
    (line,) = [text for text in err.getvalue().splitlines() if ": methods_and_models:" in text]
    assert "at most" in line and "“type”" in line, line
    # The same through the library API: the message says where the text came from.
    with pytest.raises(ImportFailed) as failure:
        run_import(write_json(tmp_path, [record]), register, Options(merge_old_keys=True))
    (entry,) = failure.value.result.entries
    (message,) = entry.errors
    assert message.key == "methods_and_models" and message.source_key == "type"
    assert str(failure.value).startswith("entries.json: ")


def test_old_versions_report_their_moves_by_default(register):
    data = Path(__file__).parent / "data" / "import" / "national_v0_4.json"
    out, _err = run(data, register, "--publication-category", "Overige algoritmes")
    assert "“source_data_link” (standard 0.4) was moved to" in out, out
    assert "“type” (standard 0.4) was added to" in out, out


# -- dry run -------------------------------------------------------------------------


def summary(out):
    return out.strip().splitlines()[-1].removeprefix("Dry run, nothing written: ")


@pytest.mark.parametrize(
    ("publish", "expected"),
    [
        (False, "created: 1, updated: 1, unchanged: 2, skipped: 0, invalid: 0"),
        (True, "created: 1, updated: 2, unchanged: 1, skipped: 0, invalid: 0"),
    ],
)
def test_dry_run_update_reports_exactly_what_the_real_run_does(
    tmp_path, register, publish, expected
):
    make_entry(register, source_id="a", slug="a", name="Eerste")
    make_entry(register, source_id="b", slug="b", name="Tweede", status="In ontwikkeling")
    make_entry(register, source_id="c", slug="c", name="Derde", publish=False)
    data = [
        full_entry(source_id="a", name="Eerste"),  # the same: unchanged
        full_entry(source_id="b", name="Tweede"),  # another status: updated
        full_entry(source_id="c", name="Derde"),  # the same, a draft: updated with --publish
        full_entry(source_id="d", name="Vierde"),  # new
    ]
    path = write_json(tmp_path, data)
    args = ["--update", *(["--publish"] if publish else [])]
    dry, _ = run(path, register, *args, "--dry-run")
    assert dry.strip().splitlines()[-1].startswith("Dry run, nothing written: ")
    options = Options(update=True, publish=publish, dry_run=True)
    planned = run_import(path, register, options)
    assert not planned.written and AlgorithmPage.objects.child_of(register).count() == 3
    options.dry_run = False
    done = run_import(path, register, options)
    assert done.written and AlgorithmPage.objects.child_of(register).count() == 4
    assert summary(dry) == done.summary() == expected
    assert [(e.action, e.changes) for e in planned.entries] == [
        (e.action, e.changes) for e in done.entries
    ]
    assert [c.key for c in done.entries[1].changes] == ["status"]


def test_dry_run_update_of_a_whole_register_says_unchanged(client, register, tmp_path):
    for n in range(5):
        make_entry(register, source_id=f"s{n}", slug=f"s{n}", name=f"Algoritme {n}")
    response = client.get(f"{register.url}export.json")
    path = tmp_path / "export.json"
    path.write_bytes(b"".join(response.streaming_content))
    dry, _ = run(path, register, "--update", "--dry-run")
    real, _ = run(path, register, "--update")
    assert (
        summary(dry)
        == summary(real)
        == ("created: 0, updated: 0, unchanged: 5, skipped: 0, invalid: 0")
    )


def test_an_update_reports_its_field_changes(tmp_path, register):
    make_entry(register, source_id="a", slug="a")
    path = write_json(
        tmp_path, [full_entry(source_id="a", status="Buiten gebruik", end_date="2025-01")]
    )
    out, _ = run(path, register, "--update", "-v", "2")
    assert "changes status, end_date." in out, out
    assert "    status: In gebruik → Buiten gebruik" in out
    result = run_import(path, register, Options(update=True, dry_run=True))
    assert result.entries[0].action == Action.UNCHANGED  # the draft holds it now
    assert result.entries[0].changes == []


# -- probable duplicates ------------------------------------------------------------------


def test_entries_without_ids_are_not_created_twice(register):
    out, _ = run(TEMPLATES / "leverancier_a.json", register, "--publish")
    assert "created: 2" in out
    out, _ = run(TEMPLATES / "leverancier_a.json", register)
    assert "created: 0" in out and "probable duplicates: 2" in out, out
    assert "probably a duplicate of the entry “Digitale assistent Vraagbaak” (page" in out
    assert len(entries(register)) == 2
    # Asked for: created again.
    out, _ = run(TEMPLATES / "leverancier_a.json", register, "--allow-duplicates")
    assert "created: 2" in out
    assert AlgorithmPage.objects.child_of(register).count() == 4


def test_duplicates_within_one_file_and_case_and_spacing(tmp_path, register):
    make_entry(
        register, source_id="x", slug="x", name="Parkeer Scan", organization="Gemeente Utrecht"
    )
    first = {**template("zonder_contact.json")[0], "name": "parkeer  scan"}
    second = {**template("zonder_contact.json")[0], "name": "Nieuw algoritme"}
    data = [first, second, dict(second)]
    result = run_import(write_json(tmp_path, data), register, Options())
    assert [e.action for e in result.entries] == [
        Action.DUPLICATE,
        Action.CREATED,
        Action.DUPLICATE,
    ]
    assert result.entries[2].duplicate_of == "entry 2"
    # An id tells entries apart: never a probable duplicate.
    with_id = {**template("zonder_contact.json")[0], "name": "Parkeer scan", "source_id": "eigen"}
    result = run_import(write_json(tmp_path, [with_id]), register, Options())
    assert result.entries[0].action == Action.CREATED


# -- accept what the national register accepts ----------------------------------------------


def test_vendor_templates_with_text_in_link_fields_import_as_they_are(client, register):
    out, err = run(TEMPLATES / "leverancier_b.json", register, "--publish")
    assert "created: 1" in out and "invalid: 0" in out, (out, err)
    page = entries(register)["Routeplanner afvalinzameling"]
    source = template("leverancier_b.json")[0]
    assert page.website == "www.rekenhuis.example/routeplanner"
    assert page.publiccode == "Broncode op aanvraag bij de leverancier"
    # The empty rows are dropped (with a note); the rest is kept exactly.
    assert page.standard_value("lawful_basis_grouping") == [source["lawful_basis_grouping"][1]]
    assert page.standard_value("source_data_grouping") == [source["source_data_grouping"][1]]
    assert (
        "Row 1 of “Legal basis references” (lawful_basis_grouping) was empty and is left out."
        in out
        or ("Row 1 of" in out and "lawful_basis_grouping" in out and "left out" in out)
    ), out
    # Warnings for the editor, each naming field and what to do.
    warnings = [text for text in out.splitlines() if ": warning: " in text]
    assert any("website:" in w and "add https:// in front" in w for w in warnings), warnings
    assert any("publiccode:" in w and "not a web address" in w for w in warnings), warnings
    assert any("lawful_basis_grouping:" in w and "swapped" in w for w in warnings), warnings
    assert any("source_data_grouping:" in w and "row 1" in w for w in warnings), warnings
    # Shown to residents as text, never as a broken link.
    html = client.get(page.url).content.decode()
    assert "www.rekenhuis.example/routeplanner" in html
    assert 'href="www.rekenhuis.example' not in html
    assert 'href="Broncode' not in html and 'href="Wet milieubeheer' not in html
    assert "Kaarten en adressen: https://data.rekenhuis.example/containers" in " ".join(
        html.split()
    )
    assert 'href="https://www.rekenhuis.example/contact"' in html  # a real address is a link
    # Round trip: the JSON download holds the same text, and imports again unchanged.
    record = json.loads(b"".join(client.get(f"{register.url}export.json").streaming_content))[0]
    assert record["website"] == source["website"]
    assert record["lawful_basis_grouping"] == [source["lawful_basis_grouping"][1]]


def test_refusals_stay_for_what_the_standard_refuses(tmp_path, register):
    data = [
        full_entry(source_id="a", website="javascript:alert(1)"),
        full_entry(source_id="b", status="Soms"),
        full_entry(
            source_id="c", lawful_basis_grouping=[{"title": "", "link": "https://x.example"}]
        ),
        full_entry(source_id="d", website="w" * 501),
    ]
    with pytest.raises(ImportFailed) as failure:
        run_import(write_json(tmp_path, data), register, Options())
    keys = [[m.key for m in e.errors] for e in failure.value.result.entries]
    assert keys == [["website"], ["status"], ["lawful_basis_grouping"], ["website"]]


def test_link_problems_is_a_pure_function_of_the_entry():
    entry = full_entry(
        website="Team Digitale Assistent",
        contact_email="Bel 14 020",
        source_data_grouping=[
            {"title": "Bron", "link": "https://ok.example"},
            {"title": "https://omgedraaid.example", "link": "Omgedraaid"},
        ],
    )
    problems = {(p.key, p.row) for p in link_problems(entry)}
    assert problems == {("website", None), ("contact_email", None), ("source_data_grouping", 2)}
    assert link_problems(full_entry()) == []


# -- the admin form asks for a web address ---------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    # A Dutch web editor: the admin speaks Dutch whatever the tests before set.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nl"
    profile.save()
    client.force_login(user)
    return client


def entry_form_data(values, groupings):
    data = {"slug": "test", "body": streamfield([]), "comments": inline_formset([])}
    lists = {}
    for key, d in standard.input_fields().items():
        if d.is_multiple_choice:
            lists[d.attribute] = values[key]
        elif d.is_grouping:
            rows = groupings[key]
            data[d.attribute] = inline_formset(rows, initial=sum(1 for r in rows if "id" in r))
        elif d.is_rich_text:
            data[d.attribute] = rich_text(values[key] or "<p></p>", features=["ol", "ul"])
        else:
            data[d.attribute] = values[key]
    return {**nested_form_data(data), **lists}


def test_the_admin_asks_for_a_web_address_for_new_values_only(editor, register):
    run(TEMPLATES / "leverancier_b.json", register, "--publish")
    page = entries(register)["Routeplanner afvalinzameling"]
    values = {key: page.standard_value(key) for key in standard.input_fields()}
    groupings = {
        d.key: [
            {"id": row.pk, "title": row.title, "link": row.link}
            for row in getattr(page, d.attribute).all()
        ]
        for d in standard.grouping_fields()
    }
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    # Publishing checks the standard's rules (a draft would save anyway: issue 10).
    publish = {"action-publish": "action-publish"}
    # Another field edited: the imported text in the link fields may stay.
    values["description_short"] = "Routes plannen met zo weinig mogelijk kilometers."
    response = editor.post(edit, {**entry_form_data(values, groupings), **publish})
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().website == "www.rekenhuis.example/routeplanner"

    # A value typed now must be a web address; the message fits what was typed.
    for typed, expected in (
        ("www.voorbeeld.example/pagina", "zet er https:// voor"),
        ("Zie de website van de leverancier", "hier hoort een webadres"),
    ):
        response = editor.post(
            edit, {**entry_form_data({**values, "website": typed}, groupings), **publish}
        )
        assert response.status_code == 200
        text = " ".join(response.content.decode().split())
        assert expected in text, (typed, text[:500])
    rows = [dict(row) for row in groupings["lawful_basis_grouping"]]
    rows.append({"title": "Nieuwe wet", "link": "wetten.overheid.example/nieuw"})
    response = editor.post(
        edit,
        {**entry_form_data(values, {**groupings, "lawful_basis_grouping": rows}), **publish},
    )
    assert response.status_code == 200
    assert "zet er https:// voor" in response.content.decode()


def test_model_clean_refuses_new_text_and_keeps_stored_text(register, tmp_path):
    run(TEMPLATES / "leverancier_b.json", register, "--publish")
    page = entries(register)["Routeplanner afvalinzameling"]
    page.full_clean()  # stored as imported: accepted
    page.website = "Iets anders"
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "this field needs a web address" in str(refused.value)
    page.website = "https://www.rekenhuis.example/routeplanner"
    page.full_clean()
