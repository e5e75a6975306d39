"""The standard's values in other vocabularies (standard/mappings.py) and the core's
independence of the exporters (issue 11: the core knows no exporter)."""

import ast
import json
from importlib import resources
from pathlib import Path

import pytest
from django.conf import settings

import wagtail_algoregister
from wagtail_algoregister import standard
from wagtail_algoregister.standard import mappings, organisations


CATEGORIES = set(standard.get("category").permitted_values)
STATUSES = set(standard.get("status").permitted_values)
EU = "http://publications.europa.eu/resource/authority/"


def labelled(uri):
    concept = mappings.concept(uri)
    assert concept is not None, uri
    assert concept.labels.get("nl") and concept.labels.get("en"), uri
    return concept


@pytest.mark.parametrize(
    "table",
    [mappings.EU_THEMES, mappings.OWMS_THEMES],
    ids=["eu", "owms"],
)
def test_every_theme_of_the_standard_is_mapped_and_nothing_else(table):
    assert set(table) == CATEGORIES


@pytest.mark.parametrize(
    "table",
    [mappings.EU_STATUSES, mappings.DONL_STATUSES],
    ids=["eu", "donl"],
)
def test_every_status_of_the_standard_is_mapped_and_nothing_else(table):
    assert set(table) == STATUSES


def test_every_language_of_the_standard_and_of_the_package_is_mapped():
    for code in standard.get("lang").permitted_values:
        assert code in mappings.LANGUAGES
    for code, _name in settings.LANGUAGES:  # the languages the package is translated into
        assert code in mappings.LANGUAGES
    # every key is an ISO 639-1 or -2 code, lower case (language_uri lowers its input)
    assert all(key.isalpha() and key.islower() and len(key) in (2, 3) for key in mappings.LANGUAGES)
    assert mappings.language_uri("NLD") == mappings.language_uri("nl") == EU + "language/NLD"
    assert mappings.language_uri("eng") == EU + "language/ENG"


def test_every_kind_of_organisation_has_a_publisher_type_and_nothing_else():
    kinds = {kind for kind, _label in organisations.KINDS.values()}
    assert set(mappings.PUBLISHER_TYPES) == kinds
    assert set(mappings.TOOI_KINDS.values()) == kinds
    for organisation in list(organisations.organisations().values())[:50]:
        assert mappings.organisation_uri(organisation.code) == (
            f"{mappings.TOOI}{organisation.kind}/{organisation.code}"
        )
    assert mappings.organisation_uri("GM0344 ") == mappings.TOOI + "gemeente/gm0344"
    assert mappings.organisation_uri("pv99") == mappings.TOOI + "provincie/pv99"
    assert mappings.organisation_uri("") == mappings.organisation_uri("xx12") == ""


def test_every_mapped_term_carries_dutch_and_english_labels_in_its_scheme():
    terms = [
        *mappings.EU_THEMES.values(),
        mappings.EU_THEME_FALLBACK,
        *mappings.OWMS_THEMES.values(),
        mappings.OWMS_THEME_FALLBACK,
        *mappings.EU_STATUSES.values(),
        *mappings.LANGUAGES.values(),
        *mappings.PUBLISHER_TYPES.values(),
        *(d.file_type_uri for d in mappings.DISTRIBUTIONS),
        mappings.ACCESS_PUBLIC,
        mappings.FREQUENCY_IRREGULAR,
    ]
    for uri in terms:
        concept = labelled(uri)
        vocabulary = mappings.scheme(concept.scheme)
        assert vocabulary is not None and uri.startswith(vocabulary.base)
        assert vocabulary.title, vocabulary.name


def test_eu_terms_are_in_the_eu_authority_tables():
    assert all(uri.startswith(EU + "data-theme/") for uri in mappings.EU_THEMES.values())
    assert all(uri.startswith(EU + "dataset-status/") for uri in mappings.EU_STATUSES.values())
    assert all(uri.startswith(EU + "language/") for uri in mappings.LANGUAGES.values())
    assert mappings.ACCESS_PUBLIC == EU + "access-right/PUBLIC"
    assert mappings.FREQUENCY_IRREGULAR == EU + "frequency/IRREG"
    assert mappings.EU_LICENCE == EU + "licence/CC0"
    for vocabulary in mappings.vocabularies().values():
        source = json.loads(
            resources.files("wagtail_algoregister.standard")
            .joinpath("data", "vocabularies.json")
            .read_text("utf-8")
        )[vocabulary.name]["source"]
        assert vocabulary.scheme.startswith(EU) == (source == "eu"), vocabulary.name
        if source == "eu":
            assert "en" in vocabulary.title, vocabulary.name


def test_a_term_without_labels_cannot_be_made():
    with pytest.raises(KeyError, match="vocabularies.json"):
        mappings.DATA_THEME.term("XXXX")


def test_distributions_have_distinct_keys_file_types_and_media_types():
    keys = [d.key for d in mappings.DISTRIBUTIONS]
    assert keys == ["page", "json", "csv"]
    assert len({d.file_type for d in mappings.DISTRIBUTIONS}) == len(keys)
    for distribution in mappings.DISTRIBUTIONS:
        kind, subtype = distribution.media_type.split("/")
        assert kind in {"text", "application"} and subtype
        assert distribution.media_type_uri == mappings.IANA + distribution.media_type
    assert mappings.STANDARD_FORMATS < set(keys)


def test_theme_lists_without_repeats_and_with_a_fallback():
    assert mappings.eu_theme_uris([]) == [mappings.EU_THEME_FALLBACK]
    assert mappings.owms_theme_uris(None) == [mappings.OWMS_THEME_FALLBACK]
    both = mappings.eu_theme_uris(["Economie", "Overheidsfinanciën", "onbekend"])
    assert both == [EU + "data-theme/ECON"]


# -- the core imports no exporter ---------------------------------------------------------

EXPORTERS = ("ckan_export", "national_export")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and "import_module" in (
            getattr(node.func, "id", ""),
            getattr(node.func, "attr", ""),
        ):
            if node.args and isinstance(node.args[0], ast.Constant):
                yield str(node.args[0].value)


def test_the_core_imports_no_exporter():
    package = Path(wagtail_algoregister.__file__).parent
    files = sorted(package.rglob("*.py"))
    assert len(files) > 40
    offenders = [
        f"{path.relative_to(package)}: {module}"
        for path in files
        for module in imported_modules(path)
        if module.split(".")[0] in EXPORTERS
    ]
    assert offenders == []


def test_the_import_check_finds_an_exporter_import(tmp_path):
    """The check above can fail: it sees each way of importing an exporter."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import ckan_export.sync\n"
        "from national_export import mapping\n"
        "def f():\n"
        "    from ckan_export.profiles import donl\n"
        "    importlib.import_module('national_export.sync')\n"
    )
    assert [m.split(".")[0] for m in imported_modules(probe)] == [
        "ckan_export",
        "national_export",
        "ckan_export",
        "national_export",
    ]
