"""Import of every version of the standard and every file layout (see tests/data/import/README.md)."""

import io
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError
from openpyxl import Workbook

from tests.conftest import call_command_in_english
from tests.test_import import run as run_import
from wagtail_algoregister.importing.readers import read_bytes
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard import versions
from wagtail_algoregister.standard.upgrades.base import split_grouping


pytestmark = pytest.mark.usefixtures("english")


DATA = Path(__file__).parent / "data" / "import"
CATEGORY = ("--publication-category", "Overige algoritmes")


def run(path, register, *args):
    return run_import(path, register, *args, verbosity=2)


def imported(register):
    return {p.title: p for p in AlgorithmPage.objects.child_of(register)}


def assert_valid_and_rendered(client, register):
    for page in AlgorithmPage.objects.child_of(register):
        page.full_clean()  # the admin's validation
        if page.live:
            response = client.get(page.url)
            assert response.status_code == 200, page.url


# -- versions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("1.0", "1.0"),
        ("1.0.0", "1.0"),
        ("v1_0", "1.0"),
        ("0.4.0", "0.4"),
        ("0.2.3", "0.2.3"),
        ("x", ""),
    ],
)
def test_normalise_version(value, version):
    assert versions.normalise_version(value) == version


def test_detect_version_from_keys():
    assert versions.detect_version({"publication_category": "x"}) == "1.0"
    assert versions.detect_version({"category": ["Verkeer"]}) == "0.4"
    assert versions.detect_version({"provider": "x"}) == "0.3.1"
    assert versions.detect_version({"name": "x"}) == "0.2.3"


def test_v0_1_maps_to_1_0_and_local_fields(client, register):
    out, err = run(DATA / "national_v0_1.json", register, "--publish", *CATEGORY)
    assert "created: 1" in out, err
    page = imported(register)["Bijstandsfraude signaleren"]
    assert page.standard_version == "1.0" and page.lang == "nld"
    assert page.category == ["Sociale zekerheid"]
    assert page.department == "Werk en Inkomen"
    assert "zes weken" in page.objection_procedure
    assert str(page.next_review_date) == "2025-12-31"
    assert "Misbruik" in page.goal and "uitgenodigd" in page.goal and "handhaver" in page.goal
    assert "Jaarlijkse evaluatie" in page.risks
    assert "Koppeling met basisregistraties" in page.source_data
    assert "College van B&amp;W" in page.lawful_basis
    assert page.standard_value("impacttoetsen_grouping") == [
        {"title": "Data Protection Impact Assessment (DPIA)", "link": ""}
    ]
    assert "2022" in page.impacttoetsen
    assert page.website == "https://www.noorderhaaks.example/bijstand"
    assert page.source_id == "bijstand-2022-01"  # the old uuid
    assert "area" in out and "application_url" in out  # notes on what was left out
    assert_valid_and_rendered(client, register)


def test_v0_2_3_free_text_policy_area_becomes_tags(client, register):
    out, _ = run(DATA / "national_v0_2_3.json", register, "--publish", *CATEGORY)
    page = imported(register)["Wmo-aanvragen sorteren"]
    assert page.category == [] and "Zorg" in page.tags
    assert "Zelflerend" in page.methods_and_models and "80%" in page.methods_and_models
    assert [row["title"] for row in page.standard_value("impacttoetsen_grouping")] == [
        "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
        "Data Protection Impact Assessment (DPIA)",
    ]
    assert_valid_and_rendered(client, register)


def test_v0_3_1_themes_links_and_no_script(client, register):
    run(DATA / "national_v0_3_1.json", register, "--publish", *CATEGORY)
    page = imported(register)["Subsidieaanvragen controleren"]
    assert page.category == ["Cultuur en recreatie", "Economie"]  # in the standard's order
    assert page.provider == "Subsidiesoft" and page.source_id == "subsidie-check"
    assert page.standard_value("impacttoetsen_grouping") == [
        {
            "title": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
            "link": "https://www.noorderhaaks.example/iama-subsidies.pdf",
        }
    ]
    assert "script" not in page.objection_procedure and "alert" not in page.objection_procedure
    assert str(page.next_review_date) == "2026-06-30"
    assert_valid_and_rendered(client, register)


def test_v0_4_themes_renamed_single_links_and_national_id(client, register):
    out, _ = run(DATA / "national_v0_4.json", register, "--publish", *CATEGORY)
    page = imported(register)["Belastingaanslagen controleren"]
    assert page.category == ["Organisatie en bedrijfsvoering", "Overheidsfinanciën", "Wonen"]
    assert page.begin_date == "2020-01"
    assert page.lars == "23456785"  # the "Landelijk-ID"
    assert page.standard_value("lawful_basis_grouping") == [
        {
            "title": "https://wetten.overheid.nl/BWBR0007119",
            "link": "https://wetten.overheid.nl/BWBR0007119",
        }
    ]
    assert page.standard_value("source_data_grouping")[0]["link"] == "https://www.kadaster.nl/"
    assert page.standard_value("impacttoetsen_grouping") == [
        {
            "title": "Data Protection Impact Assessment (DPIA)",
            "link": "https://www.noorderhaaks.example/dpia-woz.pdf",
        }
    ]
    assert "(Zelf)lerend" in page.methods_and_models
    assert "Financiën" in out  # the note on the renamed theme
    assert_valid_and_rendered(client, register)


def test_older_versions_need_a_publication_category(register):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command_in_english(
            "algoregister_import",
            str(DATA / "national_v0_4.json"),
            "--register",
            str(register.pk),
            stderr=err,
        )
    assert "publication_category" in err.getvalue()
    assert "--publication-category" in err.getvalue()
    with pytest.raises(CommandError, match="publication-category"):
        run(DATA / "national_v0_4.json", register, "--publication-category", "Geheim")


# -- the national CSV and XLSX downloads -----------------------------------------------


def test_national_csv_with_bom_algorithm_id_and_mixed_versions(client, register):
    assert (DATA / "national.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    out, err = run(DATA / "national.csv", register, "--publish", *CATEGORY)
    assert "created: 3" in out, err
    pages = imported(register)
    parking = pages["Parkeervergunning toewijzen"]
    assert parking.lars == "12345670"
    assert parking.category == ["Ruimte en infrastructuur", "Verkeer"]
    assert parking.standard_value("lawful_basis_grouping") == [
        {
            "title": "Parkeerverordening Noorderhaaks 2021",
            "link": "https://lokaleregelgeving.overheid.nl/CVDR000001",
        }
    ]
    assert parking.publication_category == "Impactvolle algoritmes"  # its own, not the option
    woz = pages["Belastingaanslagen controleren"]
    assert woz.lars == "23456785" and "Wonen" in woz.category
    assert_valid_and_rendered(client, register)
    # Importing again matches on source_id / algorithm_id.
    out, _ = run(DATA / "national.csv", register, *CATEGORY)
    assert "skipped: 3" in out


def national_xlsx(records_by_version):
    """The national Excel download: a sheet per version, transposed, Dutch titles as labels.

    As ``generate_download_stream`` in MinBZK/Algoritmeregister's
    ``backend/app/controllers/file_download.py`` writes it (pandas ``to_excel`` of the
    transposed frame, ``header=False``): HTML and line breaks removed, lists stringified.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for version, records in records_by_version.items():
        sheet = workbook.create_sheet(version)
        definitions = versions.definitions(version)
        for key, spec in definitions.items():
            if key in ("lars", "publication_dt"):
                continue
            cells = [spec["title"]]
            for record in records:
                value = record.get(key)
                if isinstance(value, list):
                    if value and isinstance(value[0], dict):
                        value = ". ".join(
                            f"{n + 1}: " + ", ".join(filter(None, item.values()))
                            for n, item in enumerate(value)
                        )
                    else:
                        value = ", ".join(value)
                text = re.sub(r"<[^<>]*>", "", str(value or "")).replace("\n", "")
                cells.append(text or None)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_national_xlsx_one_sheet_per_version_transposed(client, register, tmp_path):
    v10 = json.loads((DATA / "national_v1_0.json").read_text("utf-8"))
    v04 = json.loads((DATA / "national_v0_4.json").read_text("utf-8"))
    path = tmp_path / "Algoritmebeschrijvingen 20250101.xlsx"
    path.write_bytes(national_xlsx({"1.0": v10, "0.4": v04}))
    records = read_bytes(path.read_bytes(), name=path.name)
    assert [r.label for r in records] == [
        "sheet 1.0, column B",
        "sheet 1.0, column C",
        "sheet 0.4, column B",
    ]
    assert records[0].data["name"] == "Parkeervergunning toewijzen"  # "Naam" → name
    assert records[2].data["standard_version"] == "0.4"
    out, err = run(path, register, "--publish", *CATEGORY)
    assert "created: 3" in out, err
    pages = imported(register)
    assert pages["Parkeervergunning toewijzen"].standard_value("source_data_grouping") == [
        {"title": "Basisregistratie Personen", "link": "https://www.rvig.nl/brp"}
    ]
    assert pages["Belastingaanslagen controleren"].category == [
        "Organisatie en bedrijfsvoering",
        "Overheidsfinanciën",
        "Wonen",
    ]
    assert_valid_and_rendered(client, register)


# -- the Eurocities 0.3.1 template ---------------------------------------------------


def test_eurocities_template(client, register):
    out, err = run(DATA / "eurocities_v0_3_1.csv", register, "--publish", *CATEGORY)
    assert "created: 2" in out, err
    pages = imported(register)
    crowd = pages["Drukte meten in de binnenstad"]
    assert crowd.status == "In gebruik"
    assert crowd.category == ["Openbare orde en veiligheid"]
    assert crowd.publication_category == "Overige algoritmes"
    assert crowd.department == "Openbare Orde en Veiligheid"
    assert crowd.publiccode == "https://github.com/noorderhaaks-example/drukte"
    assert crowd.tags == "camera, drukte"
    assert crowd.source_id == "5d1c2f0a-8a3b-4a7e-9a51-3c9d8e7f6a01"
    assert str(crowd.next_review_date) == "2024-02-01"
    assert "Handmatig tellen" in crowd.proportionality
    assert "fietsers" in crowd.risks and "Maandelijkse" in crowd.risks
    assert crowd.standard_value("impacttoetsen_grouping") == [
        {
            "title": "Data Protection Impact Assessment (DPIA)",
            "link": "https://www.noorderhaaks.example/dpia-drukte.pdf",
        }
    ]
    assert "14 0222" not in json.dumps(crowd.standard_value("contact_email"))
    assert "contact_phone" in out  # left out, with a note
    fraud = pages["Fraudesignalen toeslagen"]
    assert fraud.status == "In ontwikkeling"
    assert fraud.category == ["Sociale zekerheid"]
    assert fraud.publication_category == "Hoog-risico AI-systeem"
    assert_valid_and_rendered(client, register)


def test_eurocities_english_language_is_an_error(tmp_path, register):
    text = (DATA / "eurocities_v0_3_1.csv").read_text("utf-8").replace('"nl"', '"en"', 1)
    path = tmp_path / "template.csv"
    path.write_text(text, "utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command_in_english(
            "algoregister_import", str(path), "--register", str(register.pk), *CATEGORY, stderr=err
        )
    assert 'row 2 ("Drukte meten in de binnenstad"): lang:' in err.getvalue()


def test_split_grouping_reads_the_national_csv_text():
    text = "1: Wet A, artikel 2, https://wetten.overheid.nl/BWBR1. 2: DPIA. 3: Nota, https://x.example/a.pdf"
    assert split_grouping(text) == [
        {"title": "Wet A, artikel 2", "link": "https://wetten.overheid.nl/BWBR1"},
        {"title": "DPIA", "link": ""},
        {"title": "Nota", "link": "https://x.example/a.pdf"},
    ]
