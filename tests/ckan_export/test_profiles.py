"""The dataset mappings (donl, ckan), the DONL rules and dataset names.

Pure functions of an EntryContext and a Portal: no database (no ``db``
fixture, so pytest-django refuses any query) and no network.
"""

import copy
import datetime
import re
from importlib import resources

import pytest
from django.utils import translation

from ckan_export import donl_rules
from ckan_export.conf import Portal
from ckan_export.names import MAX_LENGTH, dataset_name, is_valid_name, next_name, slugify
from ckan_export.profiles import ckan, donl, get_profile
from wagtail_algoregister import standard
from wagtail_algoregister.formats.context import EntryContext
from wagtail_algoregister.standard import mappings

from ..conftest import full_entry


DONL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")
PAGE = "https://www.utrecht.example/algoritmeregister/vroegsignalering/"
IDENTIFIER = (
    "https://www.utrecht.example/algoritmeregister/id/5b0c6c1e-0000-4000-8000-3f9a2c000000/"
)
KEY = "5b0c6c1e-0000-4000-8000-3f9a2c000000"
REQUIRED_KEYS = [k for k, d in standard.input_fields().items() if d.required]
CATEGORIES = standard.get("category").permitted_values


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_context(entry=None, **overrides):
    entry = full_entry() if entry is None else entry
    entry = {**entry, "url": entry.get("url") or PAGE} if "url" in entry else entry
    values = {
        "entry": entry,
        "identifier": IDENTIFIER,
        "public_url": PAGE,
        "json_url": f"{PAGE}export.json",
        "csv_url": f"{PAGE}export.csv",
        "register_url": "https://www.utrecht.example/algoritmeregister/",
        "organisation_code": "gm0344",
        "organisation_name": "Gemeente Utrecht",
        "department": "Team Schuldhulp",
        "issued": datetime.datetime(2024, 5, 14, 8, 30, 15, 123456, tzinfo=datetime.UTC),
        # 10:15:30.5 in Amsterdam (winter time) is 09:15:30 UTC
        "modified": datetime.datetime(
            2026, 3, 1, 10, 15, 30, 500000, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
        ),
        "key": KEY,
        "language": "nl",
    }
    values.update(overrides)
    return EntryContext(**values)


def make_portal(**overrides):
    values = {
        "name": "donl",
        "url": "https://data.overheid.nl/data",
        "organization": "gemeente-utrecht",
    }
    values.update(overrides)
    return Portal(**values)


def minimal_entry():
    return {key: full_entry()[key] for key in REQUIRED_KEYS}


def build(profile=donl.PROFILE, entry=None, portal=None, **context):
    return profile.build(make_context(entry, **context), portal or make_portal())


def names_field(errors, field):
    """The field is reported, and every message for it names it."""
    assert field in errors, errors
    for message in errors[field]:
        assert field.rsplit(".", 1)[-1] in message, message


# -- the profile contract --------------------------------------------------------------


@pytest.mark.parametrize("profile", [donl.PROFILE, ckan.PROFILE], ids=lambda p: p.name)
def test_profile_contract(profile):
    assert get_profile(profile.name) is profile
    assert isinstance(profile.version, str) and profile.version
    payload = build(profile)
    assert "name" not in payload
    assert payload["owner_org"] == "gemeente-utrecht"
    assert "type" not in payload
    assert set(payload) <= profile.managed_keys
    assert profile.validate(payload) == {}
    assert [r["_key"] for r in payload["resources"]] == ["page", "json", "csv"]
    assert [r["url"] for r in payload["resources"]] == [
        PAGE,
        f"{PAGE}export.json",
        f"{PAGE}export.csv",
    ]


@pytest.mark.parametrize("profile", [donl.PROFILE, ckan.PROFILE], ids=lambda p: p.name)
def test_dataset_type_is_sent_when_configured(profile):
    payload = build(profile, portal=make_portal(dataset_type="dataset"))
    assert payload["type"] == "dataset"
    assert set(payload) - {"type"} <= profile.managed_keys
    assert profile.validate(payload) == {}


@pytest.mark.parametrize("profile", [donl.PROFILE, ckan.PROFILE], ids=lambda p: p.name)
def test_build_is_pure(profile):
    context, portal = make_context(), make_portal()
    before = copy.deepcopy(context.entry)
    first = profile.build(context, portal)
    second = profile.build(context, portal)
    assert first == second
    assert first is not second
    assert context.entry == before  # the input is not changed
    # A copy of the same input gives the same payload too.
    assert profile.build(make_context(copy.deepcopy(before)), make_portal()) == first


# -- donl: the full entry ------------------------------------------------------------------


def test_donl_full_entry_has_every_mandatory_field_at_the_top_level():
    payload = build()
    for field in donl_rules.rules("dataset")["required"]:
        assert payload.get(field), field
    assert "extras" not in payload
    assert payload["identifier"] == IDENTIFIER
    assert payload["url"] == PAGE
    assert payload["title"] == "Vroegsignalering van schulden (algoritme, Gemeente Utrecht)"
    assert (
        payload["authority"]
        == payload["publisher"]
        == ("https://identifier.overheid.nl/tooi/id/gemeente/gm0344")
    )
    assert payload["contact_point_name"] == "Gemeente Utrecht, Team Schuldhulp"
    assert payload["contact_point_email"] == "algoritmes@utrecht.example"
    assert "contact_point_website" not in payload
    nld = "http://publications.europa.eu/resource/authority/language/NLD"
    assert payload["metadata_language"] == nld
    assert payload["language"] == [nld]
    assert payload["license_id"] == mappings.LICENCE
    assert payload["access_rights"].endswith("/access-right/PUBLIC")
    assert payload["dataset_status"] == "http://data.overheid.nl/status/beschikbaar"
    assert payload["frequency"].endswith("/frequency/IRREG")
    assert payload["conforms_to"] == [standard.URI]
    assert payload["documentation"] == [
        "https://www.utrecht.example/dpia.pdf",
        "https://www.utrecht.example/verwerkingsregister",
    ]
    assert payload["related_resource"] == [
        "https://github.com/utrecht-example/vroegsignalering",
        "https://data.utrecht.example/schulden",
    ]
    assert "alternate_identifier" not in payload  # source_id "utrecht-schulden-1" is no URI
    assert donl.PROFILE.validate(payload) == {}


def test_donl_notes_are_plain_text_with_a_link_to_the_full_description():
    notes = build(entry=full_entry(goal="<p>Eerder <b>helpen</b> &amp; minder schulden.</p>"))[
        "notes"
    ]
    assert "<" not in notes
    assert notes.startswith("Wij zoeken inwoners met betalingsachterstanden")
    assert "**Doel en impact**\n\nEerder helpen & minder schulden." in notes
    assert notes.endswith(f"Volledige beschrijving: {PAGE}")


def test_donl_resources_have_every_mandatory_field():
    payload = build()
    required = donl_rules.rules("resource")["required"]
    formats = []
    for resource in payload["resources"]:
        for field in required:
            assert resource.get(field), (resource["_key"], field)
        assert isinstance(resource["language"], list)
        assert resource["mimetype"]
        formats.append(resource["format"])
    assert formats == [
        "http://publications.europa.eu/resource/authority/file-type/HTML",
        "http://publications.europa.eu/resource/authority/file-type/JSON",
        "http://publications.europa.eu/resource/authority/file-type/CSV",
    ]


def test_donl_dates_have_the_exact_form_in_utc():
    payload = build(entry=full_entry(begin_date="2023-04", end_date="2025-02"))
    for field in ("modified", "issued", "temporal_start", "temporal_end"):
        assert DONL_DATE.match(payload[field]), (field, payload[field])
    assert payload["modified"] == "2026-03-01T09:15:30"
    assert payload["issued"] == "2024-05-14T08:30:15"
    assert payload["temporal_start"] == "2023-04-01T00:00:00"
    assert payload["temporal_end"] == "2025-02-28T00:00:00"  # the last day of the month
    assert donl.PROFILE.validate(payload) == {}


def test_donl_without_a_first_publication_date_leaves_issued_out():
    payload = build(issued=None)
    assert "issued" not in payload
    assert donl.PROFILE.validate(payload) == {}


def test_donl_same_begin_and_end_month_still_has_start_before_end():
    payload = build(entry=full_entry(begin_date="2024-06", end_date="2024-06"))
    assert payload["temporal_start"] < payload["temporal_end"]
    assert donl.PROFILE.validate(payload) == {}


def test_donl_retired_entries_stay_available_with_their_end_date():
    payload = build(entry=full_entry(status="Buiten gebruik", end_date="2025-12"))
    assert payload["dataset_status"] == "http://data.overheid.nl/status/beschikbaar"
    assert payload["temporal_end"] == "2025-12-31T00:00:00"
    assert donl.PROFILE.validate(payload) == {}


@pytest.mark.parametrize("status", standard.get("status").permitted_values)
def test_donl_every_status_gives_a_valid_dataset(status):
    payload = build(entry=full_entry(status=status))
    assert donl.PROFILE.validate(payload) == {}


# -- donl: themes ------------------------------------------------------------------------


def test_the_packaged_theme_list_is_complete():
    themes = donl_rules.themes()
    assert len(themes) == 110
    assert sum(1 for parent in themes.values() if not parent) == 17


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_register_theme_maps_to_a_donl_theme(category):
    payload = build(entry=full_entry(category=[category]))
    assert payload["theme"] == [mappings.OWMS_THEMES[category]]
    assert payload["theme"][0] in donl_rules.themes()
    assert donl.PROFILE.validate(payload) == {}


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_register_theme_maps_to_an_eu_data_theme(category):
    payload = build(ckan.PROFILE, entry=full_entry(category=[category]))
    assert payload["theme"] == [mappings.EU_THEMES[category]]
    assert payload["theme"][0].startswith(mappings.DATA_THEME.base)


def test_theme_tables_have_no_values_outside_the_standard():
    assert set(mappings.OWMS_THEMES) == set(CATEGORIES)
    assert set(mappings.EU_THEMES) == set(CATEGORIES)


def test_the_cores_donl_terms_are_those_of_the_packaged_donl_configuration():
    rules = donl_rules.config()["validation"]
    assert mappings.ACCESS_PUBLIC == rules["public_uri"]
    assert set(mappings.DONL_STATUSES.values()) == {rules["available_uri"]}
    owms = {*mappings.OWMS_THEMES.values(), mappings.OWMS_THEME_FALLBACK}
    assert owms <= set(donl_rules.themes())


def test_all_themes_at_once_give_distinct_valid_uris():
    payload = build(entry=full_entry(category=list(CATEGORIES)))
    assert (
        len(payload["theme"])
        == len(set(payload["theme"]))
        == len(set(mappings.OWMS_THEMES.values()))
    )
    assert donl.PROFILE.validate(payload) == {}


def test_no_theme_falls_back_to_bestuur():
    payload = build(entry=full_entry(category=[]))
    assert payload["theme"] == ["http://standaarden.overheid.nl/owms/terms/Bestuur"]
    assert donl.PROFILE.validate(payload) == {}


# -- donl: other mappings -----------------------------------------------------------------


def test_donl_minimal_entry_builds_a_valid_dataset():
    entry = minimal_entry()
    assert set(entry) == {
        "name",
        "description_short",
        "organization",
        "status",
        "contact_email",
        "publication_category",
        "lang",
    }
    payload = build(entry=entry, issued=None, department="")
    assert donl.PROFILE.validate(payload) == {}
    assert payload["theme"] == [mappings.OWMS_THEME_FALLBACK]
    assert payload["contact_point_name"] == "Gemeente Utrecht"
    for absent in ("temporal_start", "temporal_end", "legal_foundation_label", "documentation"):
        assert absent not in payload
    assert ckan.PROFILE.validate(build(ckan.PROFILE, entry=entry)) == {}


def test_donl_contact_that_is_a_web_address():
    payload = build(entry=full_entry(contact_email="https://www.utrecht.example/contact"))
    assert payload["contact_point_website"] == "https://www.utrecht.example/contact"
    assert "contact_point_email" not in payload
    assert donl.PROFILE.validate(payload) == {}


def test_donl_contact_that_is_neither_falls_back_to_the_website():
    payload = build(entry=full_entry(contact_email="bel ons"))
    assert payload["contact_point_website"] == "https://www.utrecht.example/schulden"
    assert donl.PROFILE.validate(payload) == {}


def test_donl_authority_from_settings_wins():
    owms = "http://standaarden.overheid.nl/owms/terms/Utrecht_(gemeente)"
    payload = build(portal=make_portal(authority_uri=owms))
    assert payload["authority"] == payload["publisher"] == owms


@pytest.mark.parametrize(
    "code, uri",
    [
        ("gm0363", "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"),
        ("GM0363", "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"),
        ("pv26", "https://identifier.overheid.nl/tooi/id/provincie/pv26"),
        ("ws0636", "https://identifier.overheid.nl/tooi/id/waterschap/ws0636"),
        ("gm9999", "https://identifier.overheid.nl/tooi/id/gemeente/gm9999"),
    ],
)
def test_donl_authority_from_the_organisation_code(code, uri):
    assert build(organisation_code=code)["authority"] == uri


def test_donl_without_an_organisation_uri_is_reported():
    payload = build(organisation_code="")
    assert "authority" not in payload
    errors = donl.PROFILE.validate(payload)
    names_field(errors, "authority")
    names_field(errors, "publisher")


def test_donl_licence_from_settings():
    by = "http://creativecommons.org/licenses/by/4.0/deed.nl"
    payload = build(portal=make_portal(license_id=by))
    assert payload["license_id"] == by
    assert {r["license_id"] for r in payload["resources"]} == {by}


@pytest.mark.parametrize(
    "link, reference",
    [
        ("https://wetten.overheid.nl/BWBR0031048", "jci1.3:c:BWBR0031048"),
        ("https://wetten.overheid.nl/BWBR0031048/2024-01-01", "jci1.3:c:BWBR0031048"),
        (
            "https://wetten.overheid.nl/BWBR0005416/2024-01-01#Hoofdstuk3_Artikel160",
            "jci1.3:c:BWBR0005416&artikel=160",
        ),
        (
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005416&artikel=160",
            "jci1.3:c:BWBR0005416&artikel=160",
        ),
    ],
)
def test_donl_legal_foundation_from_a_wetten_link(link, reference):
    entry = full_entry(lawful_basis_grouping=[{"title": "Gemeentewet", "link": link}])
    payload = build(entry=entry)
    assert payload["legal_foundation_label"] == "Gemeentewet"
    assert payload["legal_foundation_ref"] == reference
    assert payload["legal_foundation_uri"] == link
    assert donl.PROFILE.validate(payload) == {}


@pytest.mark.parametrize(
    "rows",
    [
        [{"title": "Verordening", "link": "https://lokaleregelgeving.overheid.nl/CVDR1234"}],
        [{"title": "", "link": "https://wetten.overheid.nl/BWBR0031048"}],
        [{"title": "Wet", "link": ""}],
        [],
    ],
)
def test_donl_no_legal_foundation_without_a_usable_wetten_link(rows):
    payload = build(entry=full_entry(lawful_basis_grouping=rows))
    assert not any(key.startswith("legal_foundation") for key in payload)
    assert donl.PROFILE.validate(payload) == {}


def test_donl_alternate_identifier_only_for_a_uri_source_id():
    source = "https://algoritmes.overheid.nl/nl/algoritme/12345678"
    assert build(entry=full_entry(source_id=source))["alternate_identifier"] == [source]
    assert "alternate_identifier" not in build(entry=full_entry(source_id="urn:x:1"))


def test_tags_are_clean_unique_and_include_the_fixed_ones():
    entry = full_entry(tags="AI/ML, schulden, Schulden, x, <b>vet</b>; armoede\n" + "lang" * 40)
    names = [t["name"] for t in build(entry=entry)["tags"]]
    assert names[:2] == ["algoritme", "algoritmeregister"]
    assert "AI ML" in names
    assert "schulden" in names and "Schulden" not in names
    assert "x" not in names
    assert "b vet b" in names
    assert "armoede" in names
    assert "Impactvolle algoritmes" in names
    assert len(names) == len({n.casefold() for n in names})
    for name in names:
        assert 2 <= len(name) <= 100
        assert re.match(r"^[\w \-.]+$", name)


def test_empty_links_and_repeats_are_left_out_of_uri_lists():
    entry = full_entry(
        impacttoetsen_grouping=[
            {"title": "DPIA", "link": "https://www.utrecht.example/dpia.pdf"},
            {"title": "DPIA (kopie)", "link": "https://www.utrecht.example/dpia.pdf"},
            {"title": "IAMA", "link": ""},
        ],
        process_index_url="",
    )
    assert build(entry=entry)["documentation"] == ["https://www.utrecht.example/dpia.pdf"]


def test_english_entries_get_english_texts():
    payload = build(language="en", entry=full_entry(lang="nld"))
    assert payload["metadata_language"].endswith("/ENG")
    assert payload["language"][0].endswith("/NLD")
    assert "Full description: " in payload["notes"]
    assert payload["resources"][0]["name"] == "Algorithm description (web page)"


# -- donl: the local rules ---------------------------------------------------------------


def _drop(field):
    def change(payload):
        payload.pop(field, None)

    return change


def _set(field, value):
    def change(payload):
        payload[field] = value

    return change


def _resource(index, field, value=None):
    def change(payload):
        if value is None:
            payload["resources"][index].pop(field)
        else:
            payload["resources"][index][field] = value

    return change


OWMS = "http://standaarden.overheid.nl/owms/terms/"
RULE_CASES = {
    "missing title": (_drop("title"), "title"),
    "missing identifier": (_drop("identifier"), "identifier"),
    "missing theme": (_drop("theme"), "theme"),
    "missing modified": (_drop("modified"), "modified"),
    "missing owner_org": (_drop("owner_org"), "owner_org"),
    "empty notes": (_set("notes", ""), "notes"),
    "date with zone": (_set("modified", "2026-03-01T10:15:00Z"), "modified"),
    "date with fraction": (_set("issued", "2026-03-01T10:15:00.123"), "issued"),
    "date without time": (_set("issued", "2026-03-01"), "issued"),
    "impossible date": (_set("temporal_start", "2026-02-30T00:00:00"), "temporal_start"),
    "identifier not a URI": (_set("identifier", "vroegsignalering-1"), "identifier"),
    "URI without host": (_set("url", "https:///pad"), "url"),
    "URI in a list": (_set("documentation", ["www.utrecht.example/dpia.pdf"]), "documentation"),
    "unknown theme": (_set("theme", [OWMS + "Schulden"]), "theme"),
    "theme not a list": (_set("theme", OWMS + "Bestuur"), "theme"),
    "duplicate theme": (_set("theme", [OWMS + "Bestuur", OWMS + "Bestuur"]), "theme"),
    "duplicate conforms_to": (
        _set("conforms_to", [standard.URI, standard.URI]),
        "conforms_to",
    ),
    "no contact method": (_drop("contact_point_email"), "contact_point_email"),
    "contact e-mail not an address": (
        _set("contact_point_email", "geen adres"),
        "contact_point_email",
    ),
    "legal foundation partial": (_drop("legal_foundation_ref"), "legal_foundation_ref"),
    "temporal order": (_set("temporal_end", "2020-01-01T00:00:00"), "temporal_end"),
    "closed licence for public data": (_set("license_id", OWMS + "geslotenlicentie"), "license_id"),
    "planned without date": (
        _set("dataset_status", "http://data.overheid.nl/status/gepland"),
        "date_planned",
    ),
    "bad tag": (_set("tags", [{"name": "a"}]), "tags"),
    "duplicate tag": (_set("tags", [{"name": "ab"}, {"name": "ab"}]), "tags"),
    "DONL field in extras": (_set("extras", [{"key": "theme", "value": "x"}]), "extras"),
    "no resources": (_set("resources", []), "resources"),
    "resource without format": (_resource(0, "format"), "resources[0].format"),
    "resource without description": (_resource(1, "description"), "resources[1].description"),
    "resource format not a URI": (_resource(2, "format", "CSV"), "resources[2].format"),
    "resource language not a list": (
        _resource(0, "language", "http://publications.europa.eu/resource/authority/language/NLD"),
        "resources[0].language",
    ),
}


@pytest.mark.parametrize("case", RULE_CASES, ids=str)
def test_donl_rules_catch(case):
    change, field = RULE_CASES[case]
    payload = build()
    assert donl.PROFILE.validate(payload) == {}
    change(payload)
    errors = donl.PROFILE.validate(payload)
    names_field(errors, field)
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)


def test_donl_rules_report_every_missing_field():
    errors = donl.PROFILE.validate({})
    for field in donl_rules.rules("dataset")["required"]:
        names_field(errors, field)
    assert "resources" in errors


def test_donl_rules_read_the_packaged_data():
    package = resources.files("ckan_export").joinpath("data")
    for name in (
        "LICENSE-NOTE.md",
        "donl-1.1-ckan-fields.json",
        "donl_owms_themes.csv",
        "ckanext-dataoverheid_config.json",
    ):
        assert package.joinpath(name).is_file(), name
    assert donl_rules.date_format() == "%Y-%m-%dT%H:%M:%S"
    dataset = donl_rules.rules("dataset")
    assert {"title", "notes", "identifier", "authority", "theme", "modified"} <= dataset["required"]
    assert "name" not in dataset["required"]
    assert {"identifier", "theme", "authority", "legal_foundation_uri"} <= dataset["uri"]
    assert "owner_org" not in dataset["uri"]
    assert {"url", "format", "language", "license_id"} <= donl_rules.rules("resource")["required"]


# -- ckan --------------------------------------------------------------------------------


def test_ckan_extras_are_strings_with_our_prefix_and_no_clashes():
    payload = build(ckan.PROFILE)
    keys = [extra["key"] for extra in payload["extras"]]
    assert len(keys) == len(set(keys))
    for extra in payload["extras"]:
        assert set(extra) == {"key", "value"}
        assert isinstance(extra["key"], str) and isinstance(extra["value"], str)
        assert extra["value"]
        assert extra["key"].startswith(ckan.EXTRA_PREFIX)
        assert extra["key"] not in ckan.RESERVED_KEYS
        assert extra["key"] not in payload
    values = {extra["key"]: extra["value"] for extra in payload["extras"]}
    assert values["algoritme_identifier"] == IDENTIFIER
    assert values["algoritme_status"] == "In gebruik"
    assert values["algoritme_publication_category"] == "Impactvolle algoritmes"
    assert values["algoritme_category"] == "Sociale zekerheid, Zorg en gezondheid"
    assert values["algoritme_goal"] == "Inwoners met schulden eerder helpen."  # no HTML
    # Every filled scalar field of the standard is there, but those that are core fields.
    expected = {
        f"algoritme_{f.key}"
        for f in standard.scalar_fields()
        if f.key not in ckan.CORE_MAPPED and full_entry().get(f.key)
    }
    assert expected <= set(values)
    assert "algoritme_name" not in values and "algoritme_tags" not in values


def test_ckan_core_fields():
    payload = build(ckan.PROFILE)
    assert payload["title"] == "Vroegsignalering van schulden"
    assert payload["license_id"] == "cc-zero"
    assert payload["url"] == PAGE
    assert [r["format"] for r in payload["resources"]] == ["HTML", "JSON", "CSV"]
    assert {"name": "algoritme"} in payload["tags"]
    assert build(ckan.PROFILE, portal=make_portal(license_id="odc-by"))["license_id"] == "odc-by"


def test_ckan_without_dataset_type_sends_nothing_plain_ckan_refuses():
    """Plain CKAN files a top-level list of objects under __junk and refuses the dataset."""
    payload = build(ckan.PROFILE, entry=full_entry(end_date="2025-01"))
    lists_of_objects = {
        key
        for key, value in payload.items()
        if isinstance(value, list) and value and isinstance(value[0], dict)
    }
    assert lists_of_objects == {"tags", "extras", "resources"}
    for key, value in payload.items():
        if key not in lists_of_objects:
            assert isinstance(value, str) or all(isinstance(v, str) for v in value), key
    assert payload["identifier"] == IDENTIFIER
    assert payload["theme"] == [
        mappings.DATA_THEME.base + "SOCI",
        mappings.DATA_THEME.base + "HEAL",
    ]


def test_ckan_with_dataset_type_fills_the_dcat_schema_fields():
    payload = build(ckan.PROFILE, portal=make_portal(dataset_type="dataset"))
    assert payload["contact"] == [
        {"name": "Gemeente Utrecht", "email": "algoritmes@utrecht.example"}
    ]
    assert payload["publisher"] == [
        {
            "name": "Gemeente Utrecht",
            "uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm0344",
            "url": "https://www.utrecht.example/algoritmeregister/",
        }
    ]
    assert payload["temporal_coverage"] == [{"start": "2023-04"}]
    assert ckan.PROFILE.validate(payload) == {}


CKAN_CASES = {
    "reserved extra": (
        lambda p: p["extras"].append({"key": "identifier", "value": "x"}),
        "extras",
        "identifier",
    ),
    "non-string extra": (
        lambda p: p["extras"].append({"key": "algoritme_x", "value": 3}),
        "extras",
        "algoritme_x",
    ),
    "duplicate extra": (
        lambda p: p["extras"].append(dict(p["extras"][0])),
        "extras",
        "algoritme_identifier",
    ),
    "missing title": (lambda p: p.pop("title"), "title", "title"),
    "bad tag": (lambda p: p["tags"].append({"name": "a/b"}), "tags", "a/b"),
    "objects without scheming": (
        lambda p: p.update(contact=[{"name": "x"}]),
        "contact",
        "contact",
    ),
    "resource without url": (lambda p: p["resources"][0].pop("url"), "resources[0].url", "url"),
}


@pytest.mark.parametrize("case", CKAN_CASES, ids=str)
def test_ckan_rules_catch(case):
    change, field, named = CKAN_CASES[case]
    payload = build(ckan.PROFILE)
    change(payload)
    errors = ckan.PROFILE.validate(payload)
    assert field in errors, errors
    assert any(named in message for message in errors[field]), errors[field]


def test_ckan_reserved_keys_cover_ckan_and_dcat_fields():
    for key in ("name", "title", "notes", "url", "tags", "extras", "owner_org", "version"):
        assert key in ckan.RESERVED_KEYS
    for key in ("identifier", "theme", "contact", "publisher", "issued", "modified", "language"):
        assert key in ckan.RESERVED_KEYS


# -- dataset names -------------------------------------------------------------------------


def test_names_are_valid_and_readable():
    name = dataset_name(make_context(), make_portal())
    assert is_valid_name(name)
    assert re.match(r"^gm0344-vroegsignalering-van-schulden-[0-9a-f]{8}$", name)


def test_names_are_stable():
    assert dataset_name(make_context(), make_portal()) == dataset_name(
        make_context(), make_portal()
    )


def test_names_do_not_follow_renames_but_differ_per_entry():
    first = dataset_name(make_context(), make_portal())
    renamed = dataset_name(make_context(full_entry(name="Iets anders")), make_portal())
    other = dataset_name(make_context(key="0c1d2e3f-0000-4000-8000-000000000001"), make_portal())
    assert first.rsplit("-", 1)[1] == renamed.rsplit("-", 1)[1]
    assert other != first
    assert other.rsplit("-", 1)[1] != first.rsplit("-", 1)[1]


def test_names_are_unique_per_key():
    names = {
        dataset_name(make_context(key=f"00000000-0000-4000-8000-{n:012d}"), make_portal())
        for n in range(500)
    }
    assert len(names) == 500


def test_long_dutch_names_with_accents_stay_within_100_characters():
    long_name = (
        "Één coördinatie-algoritme voor reïntegratie en café-overlast in Ĳsselstein ß " * 3
    )[:100]
    assert len(long_name) == 100
    for portal in (make_portal(), make_portal(name_prefix="Gemeente Ĳsselstein — Algoritmes " * 3)):
        name = dataset_name(make_context(full_entry(name=long_name)), portal)
        assert is_valid_name(name), name
        assert len(name) <= MAX_LENGTH
        for n in (2, 3, 99, 1000):
            alternative = next_name(name, n)
            assert is_valid_name(alternative), alternative
            assert len(alternative) <= MAX_LENGTH
            assert alternative.endswith(f"-{n}")
    assert slugify("Één coördinatie in Ĳsselstein, ß") == "een-coordinatie-in-ijsselstein-ss"


@pytest.mark.parametrize(
    "portal_prefix, code, prefix",
    [
        ("Mijn Portaal", "gm0344", "mijn-portaal-"),
        (None, "gm0344", "gm0344-"),
        (None, "", "algoritme-"),
    ],
)
def test_name_prefix(portal_prefix, code, prefix):
    name = dataset_name(
        make_context(organisation_code=code), make_portal(name_prefix=portal_prefix)
    )
    assert name.startswith(prefix)
    assert is_valid_name(name)


def test_name_of_an_entry_without_latin_letters():
    name = dataset_name(make_context(full_entry(name="算法")), make_portal())
    assert re.match(r"^gm0344-[0-9a-f]{8}$", name)


def test_next_name_replaces_an_earlier_suffix():
    name = dataset_name(make_context(), make_portal())
    assert next_name(name, 2) == f"{name}-2"
    assert next_name(next_name(name, 2), 3) == f"{name}-3"
    assert next_name("algoritme-x", 2) == "algoritme-x-2"
    assert len(next_name("a" * 100, 12)) == 100
