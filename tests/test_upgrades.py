"""Version upgrades as a chain of per-version steps (``wagtail_algoregister.standard.upgrades``)."""

import pytest

from wagtail_algoregister import standard
from wagtail_algoregister.standard import versions
from wagtail_algoregister.standard.upgrades import STEPS, finish, run_steps, upgrade
from wagtail_algoregister.standard.upgrades.base import (
    APPENDED,
    IGNORED,
    LOCAL,
    MOVED,
    OLD_KEY,
    Upgrade,
)


pytestmark = pytest.mark.usefixtures("english")


def step(version, record):
    """Run the one step from ``version`` on ``record``; the Upgrade after it."""
    (module,) = [s for s in STEPS if s.FROM == version]
    u = Upgrade(source_version=version, version=version, record=dict(record))
    module.step(u)
    return u


def actions(u):
    return {(c.key, c.action, c.targets) for c in u.changes}


def test_the_chain_covers_every_version_in_order():
    chain = [STEPS[0].FROM, *(s.TO for s in STEPS)]
    assert tuple(chain) == versions.VERSIONS
    assert chain[-1] == standard.VERSION
    for module in STEPS:
        assert module.__doc__, module.__name__  # each step says what it moves


def test_every_key_a_version_drops_is_handled_by_its_step():
    """A key that the next version does not have is moved, merged or left out, with a Change."""
    for module in STEPS:
        old, new = versions.definitions(module.FROM), versions.definitions(module.TO)
        for key in set(old) - set(new) - {"lars", "publication_dt"}:
            value = "Ja" if key in ("iama", "dpia") else "https://example.org/x"
            u = step(module.FROM, {key: value})
            assert key not in u.record, (module.FROM, key)
            # Reported, or kept for the current version, which has the key again.
            assert any(c.key == key for c in u.changes) or key in u.later, (module.FROM, key)


def test_step_0_2_3_merges_dropped_fields_and_narrows_the_iama_description():
    u = step(
        "0.2.3",
        {
            "decision_making_process": "Een medewerker beslist.",
            "mprd": "Koppeling met de BRP.",
            "documentation": "https://docs.example/a",
            "dpia_description": "De DPIA is in 2022 gedaan.",
            "iama_description": "Nog niet gedaan.",
        },
    )
    assert actions(u) >= {
        ("decision_making_process", APPENDED, ("goal",)),
        ("mprd", APPENDED, ("source_data",)),
        ("documentation", MOVED, ("website",)),
        ("iama_description", MOVED, ("impacttoetsen",)),
    }
    assert u.record == {"website": "https://docs.example/a", "dpia": "Ja"}
    assert [a[0] for a in u.appends] == ["goal", "source_data", "impacttoetsen", "impacttoetsen"]


def test_step_0_3_1_keeps_local_fields_and_turns_flags_into_assessments():
    u = step(
        "0.3.1",
        {
            "department": "Werk en Inkomen",
            "revision_date": "31-12-2025",
            "iama": "Ja",
            "dpia": "Nee",
            "iama_description": "https://example.org/iama.pdf",
            "uuid": "bron-1",
            "category": "Sociale zekerheid, armoedebeleid",
            "process_index_url": "https://example.org/register",
            "area": "Noord",
        },
    )
    assert u.local["department"] == "Werk en Inkomen"
    assert str(u.local["next_review_date"]) == "2025-12-31"
    assert ("department", LOCAL, ("department",)) in actions(u)
    assert u.assessments == [
        ("Impact Assessment Mensenrechten en Algoritmes (IAMA)", "", "iama"),
        (
            "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
            "https://example.org/iama.pdf",
            "iama_description",
        ),
    ]
    assert ("dpia", IGNORED, ()) in actions(u)
    assert u.record["source_id"] == "bron-1"
    assert u.record["category"] == ["Sociale zekerheid"] and u.record["tags"] == "armoedebeleid"
    assert u.later == {"process_index_url": "https://example.org/register"}
    assert ("area", IGNORED, ()) in actions(u)


def test_step_0_4_makes_groupings_of_single_links_and_the_list():
    u = step(
        "0.4",
        {
            "type": "Ja",
            "lawful_basis_link": "https://wetten.overheid.nl/BWBR1",
            "source_data_link": "Tekst, geen link",
            "impacttoetsen": ["Data Protection Impact Assessment (DPIA)"],
            "iama_description": "https://example.org/dpia.pdf",
            "uuid": "23456785",
            "category": ["Financiën", "Verkeer"],
        },
    )
    assert u.rows == [
        (
            "lawful_basis_grouping",
            {
                "title": "https://wetten.overheid.nl/BWBR1",
                "link": "https://wetten.overheid.nl/BWBR1",
            },
            "lawful_basis_link",
        ),
        (
            "source_data_grouping",
            {"title": "Link naar gegevensbronnen", "link": "Tekst, geen link"},
            "source_data_link",
        ),
    ]
    # The only assessment without a link gets the 0.4 "Link naar impacttoetsen".
    assert u.assessments == [
        (
            "Data Protection Impact Assessment (DPIA)",
            "https://example.org/dpia.pdf",
            "impacttoetsen",
        )
    ]
    assert u.lars == "23456785"
    assert u.record["category"] == ["Overheidsfinanciën", "Verkeer"]
    assert ("type", APPENDED, ("methods_and_models",)) in actions(u)


def test_a_record_goes_through_every_step_from_its_version():
    u = Upgrade(source_version="0.1", version="0.1", record={"name": "x", "impact": "Groot."})
    run_steps(u)
    assert u.version == standard.VERSION
    result = finish(u)
    assert result.national["goal"] == "<p>Impact:</p><p>Groot.</p>"
    assert result.origins == {"goal": ["impact"]}


def test_old_keys_in_a_current_record_are_ignored_or_merged():
    record = {
        "name": "x",
        "standard_version": "1.0",
        "type": "Zelflerend",
        "impact": "Groot.",
        "source_data_grouping": [{"title": "Bron", "link": "https://example.org/bron"}],
        "source_data_link": "https://example.org/bron",
        "onbekend": "waarde",
    }
    ignored = upgrade(record)
    assert "methods_and_models" not in ignored.national and "goal" not in ignored.national
    changes = {c.key: c for c in ignored.changes}
    assert changes["type"].action == OLD_KEY and changes["type"].version == "0.4"
    assert changes["type"].targets == ("methods_and_models",)
    assert changes["impact"].version == "0.3.1" and changes["impact"].targets == ("goal",)
    assert changes["onbekend"].action == IGNORED and changes["onbekend"].version == ""
    assert "not a field of the standard" in changes["onbekend"].message()

    merged = upgrade(record, merge_old_keys=True)
    assert merged.national["methods_and_models"] == "<p>(Zelf)lerend:</p><p>Zelflerend</p>"
    assert merged.national["goal"] == "<p>Impact:</p><p>Groot.</p>"
    assert merged.national["source_data_grouping"] == record["source_data_grouping"]
    assert merged.origins["methods_and_models"] == ["type"]


def test_empty_grouping_rows_are_left_out_with_a_note():
    result = upgrade(
        {
            "standard_version": "1.0",
            "lawful_basis_grouping": [{"title": "", "link": ""}, {"title": "Wet", "link": "x"}],
        }
    )
    assert result.national["lawful_basis_grouping"] == [{"title": "Wet", "link": "x"}]
    (note,) = [c for c in result.changes if c.key == "lawful_basis_grouping"]
    assert "Row 1 of" in note.message() and "left out" in note.message()
