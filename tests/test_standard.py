"""The standard as data: every key of the packaged v1.0 definition is modelled."""

import json
from importlib import resources

import pytest
from django.utils import translation

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage


def source():
    text = (
        resources.files("wagtail_algoregister.standard")
        .joinpath("data", "publicatiestandaard_v1_0.json")
        .read_text("utf-8")
    )
    return json.loads(text)["properties"]


def test_input_keys_are_the_standards_29_keys():
    keys = list(standard.input_fields())
    assert len(keys) == 29
    assert keys == [k for k in source() if k not in ("lars", "publication_dt")]


def test_definitions_match_the_source_file():
    for key, spec in source().items():
        d = standard.get(key)
        assert d.title_nl == spec["title"]
        assert d.max_length == spec.get("max_length")
        assert d.required is (spec.get("required") in (True, "true"))
        assert list(d.permitted_values) == list(spec.get("permitted_values") or [])


def test_required_keys_are_the_seven_of_the_standard():
    required = {k for k, d in standard.input_fields().items() if d.required}
    assert required == {
        "name",
        "description_short",
        "organization",
        "status",
        "contact_email",
        "publication_category",
        "lang",
    }


def test_every_key_is_stored_on_the_entry_model():
    for d in standard.input_fields().values():
        if d.is_grouping:
            relation = AlgorithmPage._meta.get_field(d.attribute)
            assert relation.related_model.__name__.endswith(("Link", "Assessment"))
        else:
            field = AlgorithmPage._meta.get_field(d.attribute)
            if (
                d.max_length
                and d.attribute != "title"
                and not d.is_rich_text
                and hasattr(field, "max_length")
                and field.max_length
            ):
                assert field.max_length >= d.max_length


def test_every_input_key_has_an_admin_panel():
    handler = AlgorithmPage.get_edit_handler()
    names = set()

    def walk(panel):
        for attr in ("field_name", "relation_name"):
            if getattr(panel, attr, None):
                names.add(getattr(panel, attr))
        for child in getattr(panel, "children", []):
            walk(child)

    walk(handler)
    for d in standard.input_fields().values():
        assert d.attribute in names, d.key


def test_sections_follow_the_national_detail_page():
    assert [s.key for s in standard.sections()] == [
        "algemeneInformatie",
        "verantwoordGebruik",
        "werking",
    ]
    assert standard.sections()[1].keys[0] == "goal"
    assert set(standard.metadata_keys()) == {"lang", "standard_version", "source_id", "tags"}


@pytest.mark.parametrize(
    ("language", "label", "status_label"),
    [("nl", "Korte omschrijving", "In gebruik"), ("en", "Short description", "In use")],
)
def test_labels_follow_the_active_language(language, label, status_label):
    with translation.override(language):
        assert str(standard.get("description_short").label) == label
        assert str(standard.get("status").value_label("In gebruik")) == status_label


def test_english_translations_cover_every_field_and_value():
    with translation.override("en"):
        for d in standard.all_fields().values():
            assert d.title_en, d.key
            for value in d.permitted_values:
                assert str(d.value_label(value)), (d.key, value)
        # Every theme and status has a real English label, not the Dutch value.
        for key in ("category", "status", "publication_category"):
            for value in standard.get(key).permitted_values:
                assert str(standard.get(key).value_label(value)) != value, (key, value)
