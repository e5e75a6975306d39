"""Completeness: counted over the standard's input keys, resident topics named."""

from wagtail_algoregister import standard
from wagtail_algoregister.quality.completeness import RESIDENT_TOPICS, completeness

from ..conftest import full_entry


def test_a_full_entry_fills_every_input_key_but_the_empty_ones():
    # full_entry leaves end_date and url empty: an algorithm in use, linked from the site.
    result = completeness(full_entry())
    assert result.total == len(standard.input_fields())
    assert set(result.empty) == {"end_date", "url"}
    assert result.filled_count == result.total - 2
    assert result.percentage == round(100 * (result.total - 2) / result.total)
    assert result.missing_for_residents == ()


def test_an_entry_with_only_a_title_names_every_topic_residents_need():
    result = completeness({"name": "Parkeervergunningen"})
    assert result.filled == ("name",)
    assert [t.key for t in result.missing_for_residents] == [keys[0] for keys in RESIDENT_TOPICS]
    labels = [str(t.label) for t in result.missing_for_residents]
    assert labels[0] == str(standard.get("goal").label)


def test_an_empty_paragraph_or_link_row_is_not_content():
    entry = full_entry(goal="<p> </p>", risks="<p><br></p>")
    entry["source_data"] = ""
    entry["source_data_grouping"] = [{"title": "", "link": ""}]
    result = completeness(entry)
    assert {"goal", "risks", "source_data", "source_data_grouping"} <= set(result.empty)
    assert [t.key for t in result.missing_for_residents] == [
        "goal",
        "risks",
        "source_data",
    ]


def test_a_topic_is_filled_by_its_text_or_its_links():
    # No text about the legal basis, but a link to the law: residents can read it.
    result = completeness(full_entry(lawful_basis=""))
    assert "lawful_basis" in result.empty
    assert "lawful_basis" not in [t.key for t in result.missing_for_residents]


def test_resident_topics_are_keys_of_the_standard():
    for keys in RESIDENT_TOPICS:
        for key in keys:
            assert key in standard.input_fields()
