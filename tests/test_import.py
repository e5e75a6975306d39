"""The import command: JSON of standard 1.0, validation, transaction, matching, options."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError
from wagtail.models import Page

from tests.conftest import call_command_in_english, full_entry, make_entry
from wagtail_algoregister.models import AlgorithmPage


pytestmark = pytest.mark.usefixtures("english")


DATA = Path(__file__).parent / "data" / "import"


def run(path, register, *args, **options):
    """``algoregister_import PATH --register ID ARGS``: (stdout, stderr), in English."""
    out, err = StringIO(), StringIO()
    call_command_in_english(
        "algoregister_import",
        str(path),
        "--register",
        str(register.pk),
        *args,
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


def write_json(tmp_path, data, name="entries.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def entries(register):
    return AlgorithmPage.objects.child_of(register).order_by("path")


def test_imports_national_json_v1_0_as_drafts(register):
    out, err = run(DATA / "national_v1_0.json", register)
    assert out.strip().endswith("created: 2, updated: 0, unchanged: 0, skipped: 0, invalid: 0"), out
    pages = list(entries(register))
    assert [p.title for p in pages] == ["Parkeervergunning toewijzen", "Afvalroutes plannen"]
    assert all(not p.live and p.has_unpublished_changes for p in pages)
    assert all(p.latest_revision_id for p in pages)
    assert not [problem for problem in Page.find_problems() if problem]
    # The revision holds the whole entry, as Wagtail's save_revision stores it.
    draft = pages[0].get_latest_revision_as_object()
    assert draft.title == pages[0].title and draft.lars == "12345670"
    assert draft.standard_value("source_data_grouping") == pages[0].standard_value(
        "source_data_grouping"
    )
    parking = pages[0]
    # Variations of published data: upper-case lang, HTML in tags, stray keys, nulls.
    assert parking.lang == "nld"
    assert parking.tags == "parkeren, vergunning"
    assert parking.end_date == "" and parking.publiccode == ""
    assert parking.lars == "12345670"
    assert parking.source_id == "noorderhaaks-parkeren"
    assert parking.standard_value("lawful_basis_grouping") == [
        {
            "title": "Parkeerverordening Noorderhaaks 2021",
            "link": "https://lokaleregelgeving.overheid.nl/CVDR000001",
        }
    ]
    # Plain text in a rich-text field becomes a paragraph-free escaped text, kept.
    assert pages[1].goal == "Minder kilometers rijden."
    assert pages[1].standard_version == "1.0"


def test_publish_makes_entries_live_and_they_render(client, register):
    run(DATA / "national_v1_0.json", register, "--publish")
    pages = list(entries(register))
    assert all(p.live and not p.has_unpublished_changes for p in pages)
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_register_by_url_path(register):
    out, _err = (StringIO(), StringIO())
    call_command_in_english(
        "algoregister_import",
        str(DATA / "national_v1_0.json"),
        "--register",
        "/algoritmeregister/",
        stdout=out,
    )
    assert entries(register).count() == 2
    with pytest.raises(CommandError, match="No algorithm register"):
        call_command_in_english(
            "algoregister_import", str(DATA / "national_v1_0.json"), "--register", "/nope/"
        )


def test_invalid_entries_give_one_line_per_problem_and_write_nothing(tmp_path, register):
    data = [
        full_entry(source_id="a"),
        full_entry(
            name="Parkeervergunning",
            source_id="b",
            begin_date="2023/05",
            status="Soms",
            website="javascript:alert(1)",
        ),
        full_entry(name="", source_id="c", category=["Astrologie"]),
    ]
    path = write_json(tmp_path, data)
    before = Page.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match="2 of 3 entries are invalid"):
        call_command_in_english(
            "algoregister_import", str(path), "--register", str(register.pk), stderr=err
        )
    lines = err.getvalue().splitlines()
    assert 'entry 2 ("Parkeervergunning"): begin_date: use the form YYYY-MM' in lines[0] or any(
        line.startswith('entry 2 ("Parkeervergunning"): begin_date:') and "2023/05" in line
        for line in lines
    )
    assert any(line.startswith('entry 2 ("Parkeervergunning"): status:') for line in lines)
    assert any(line.startswith('entry 2 ("Parkeervergunning"): website:') for line in lines)
    assert any(line.startswith("entry 3: name:") for line in lines)
    assert any(line.startswith("entry 3: category:") and "Astrologie" in line for line in lines)
    assert Page.objects.count() == before


def test_skip_invalid_imports_the_valid_ones_and_lists_the_others(tmp_path, register):
    data = [full_entry(source_id="a"), full_entry(name="Kapot", source_id="b", end_date="2020-13")]
    out, err = run(write_json(tmp_path, data), register, "--skip-invalid")
    assert "created: 1, updated: 0, unchanged: 0, skipped: 0, invalid: 1" in out
    assert 'entry 2 ("Kapot"): end_date:' in err
    assert [p.source_id for p in entries(register)] == ["a"]


def test_dry_run_writes_nothing(register):
    before = Page.objects.count()
    out, _ = run(DATA / "national_v1_0.json", register, "--dry-run")
    assert "Dry run" in out and "created: 2" in out
    assert Page.objects.count() == before


def test_importing_twice_reports_existing_entries_and_update_updates(tmp_path, register):
    run(DATA / "national_v1_0.json", register, "--publish")
    out, _ = run(DATA / "national_v1_0.json", register)
    assert "skipped: 2" in out and "use --update" in out
    assert entries(register).count() == 2
    out, _ = run(DATA / "national_v1_0.json", register, "--update", "--publish")
    assert "updated: 0, unchanged: 2" in out

    data = json.loads((DATA / "national_v1_0.json").read_text("utf-8"))
    data[0]["status"] = "Buiten gebruik"
    data[0]["end_date"] = "2024-06"
    data[0]["source_id"] = ""  # matched on the national id instead
    path = write_json(tmp_path, data)
    out, _ = run(path, register, "--update")
    assert "updated: 1, unchanged: 1" in out
    parking = entries(register).get(lars="12345670")
    # Without --publish the live version stays; the change is a draft revision.
    assert parking.status == "In gebruik" and parking.has_unpublished_changes
    draft = parking.get_latest_revision_as_object()
    assert draft.status == "Buiten gebruik" and draft.end_date == "2024-06"
    assert draft.source_id == "noorderhaaks-parkeren"  # kept
    out, _ = run(path, register, "--update", "--publish")
    parking.refresh_from_db()
    assert parking.status == "Buiten gebruik" and not parking.has_unpublished_changes
    assert entries(register).count() == 2


def test_matches_existing_entries_by_source_id(register):
    existing = make_entry(register, source_id="noorderhaaks-afval", slug="afval")
    out, _ = run(DATA / "national_v1_0.json", register, "--update")
    assert "created: 1, updated: 1" in out
    existing.refresh_from_db()
    assert existing.get_latest_revision_as_object().title == "Afvalroutes plannen"


def test_duplicates_in_the_file_are_errors(tmp_path, register):
    data = [full_entry(source_id="x"), full_entry(source_id="x", name="Tweede")]
    with pytest.raises(CommandError):
        run(write_json(tmp_path, data), register)
    assert entries(register).count() == 0


def test_invalid_lars_is_an_error(tmp_path, register):
    with pytest.raises(CommandError):
        run(write_json(tmp_path, [{**full_entry(), "lars": "12345678"}]), register)


def test_unreadable_files_fail_cleanly(tmp_path, register):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run(bad, register)
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.json", register)
    empty = write_json(tmp_path, [])
    with pytest.raises(CommandError, match="no entries"):
        run(empty, register)


def test_unsafe_html_is_never_stored(tmp_path, register):
    data = [
        full_entry(
            goal='<p onclick="x()">Doel <a href="javascript:alert(1)">link</a></p>'
            "<script>alert(1)</script><style>p{}</style>",
        )
    ]
    run(write_json(tmp_path, data), register, "--publish")
    page = entries(register).get()
    assert page.goal == "<p>Doel link</p>"


def test_transaction_rolls_back_when_writing_fails(monkeypatch, tmp_path, register):
    from wagtail_algoregister.importing import tasks

    class Failing:
        def enqueue(self, pks):
            raise RuntimeError("disk full")

    # Fails after the entries were written, before the end of the transaction.
    monkeypatch.setattr(tasks, "index_entries_task", Failing())
    before = Page.objects.count()
    data = [full_entry(source_id="a"), full_entry(source_id="b")]
    with pytest.raises(RuntimeError):
        run(write_json(tmp_path, data), register)
    assert entries(register).count() == 0 and Page.objects.count() == before
    register.refresh_from_db()
    assert register.numchild == 0


def test_published_entries_are_indexed_logged_and_signalled_like_wagtails_publish(register):
    from wagtail.models import PageLogEntry
    from wagtail.signals import page_published

    published = []

    def receiver(sender, instance, revision, **kwargs):
        published.append((sender, instance.pk, revision.pk))

    page_published.connect(receiver)
    try:
        run(DATA / "national_v1_0.json", register, "--publish")
    finally:
        page_published.disconnect(receiver)
    pages = list(entries(register))
    assert sorted(pk for _s, pk, _r in published) == sorted(p.pk for p in pages)
    assert not [problem for problem in Page.find_problems() if problem]  # a sound tree
    register.refresh_from_db()
    assert register.numchild == 2
    for page in pages:
        assert page.live_revision_id == page.latest_revision_id
        assert page.first_published_at and page.last_published_at
        actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        assert {"wagtail.create", "wagtail.publish"} <= actions
    # The search index knows the entries (indexed once, at the end of the import).
    found = AlgorithmPage.objects.live().search("Parkeervergunning")
    assert [p.title for p in found] == ["Parkeervergunning toewijzen"]
    found = AlgorithmPage.objects.live().search("Basisregistratie")  # a link title
    assert "Parkeervergunning toewijzen" in [p.title for p in found]


def test_over_long_text_and_html_in_plain_text_are_errors(tmp_path, register):
    data = [
        full_entry(
            name="x" * 101,
            provider="<b>Leverancier</b>",
            goal="<p>" + "x" * 2501 + "</p>",
            # A title longer than the standard allows (text in a link is only a warning).
            lawful_basis_grouping=[{"title": "W" * 101, "link": "https://wetten.overheid.nl"}],
        )
    ]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command_in_english(
            "algoregister_import",
            str(write_json(tmp_path, data)),
            "--register",
            str(register.pk),
            "--format",
            "json",
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    for key in ("name", "provider", "goal", "lawful_basis_grouping"):
        assert any(f": {key}: " in line for line in lines), (key, lines)
    assert entries(register).count() == 0


def test_a_download_of_an_http_site_imports_again_unchanged(client, register, tmp_path):
    """The download fills an empty ``url`` with the entry's public URL; reading it back
    empties it again (a local demo site's address, e.g. http://localhost:8000/..., would
    not pass the standard's URL rule)."""
    entry = make_entry(register, url="")
    response = client.get(f"{register.url}export.json")
    records = json.loads(b"".join(response.streaming_content))
    assert records[0]["url"] == records[0]["public_url"] == f"http://testserver{entry.url}"
    path = write_json(tmp_path, records)
    out, _err = run(path, register, "--update")
    assert out.strip().endswith("created: 0, updated: 0, unchanged: 1, skipped: 0, invalid: 0")
    entry.refresh_from_db()
    assert entry.source_url == ""
    # A url of its own (not the public URL) is kept.
    records[0]["url"] = "https://elders.example/registratie"
    out, _err = run(write_json(tmp_path, records), register, "--update", "--publish")
    assert "updated: 1" in out
    entry.refresh_from_db()
    assert entry.source_url == "https://elders.example/registratie"
