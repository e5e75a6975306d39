"""The standard's values in other vocabularies: the one place that maps them.

The site's own DCAT catalogue (:mod:`wagtail_algoregister.formats.dcat`) and the CKAN
profiles (``ckan_export.profiles``) describe an entry with the same terms, so both read
these tables; neither types a term of its own. Every table is checked against the
standard's vocabulary by ``tests/test_mappings.py`` (each permitted value mapped,
nothing mapped that the standard does not have).

Terms are plain ``str`` URIs. A term of a controlled vocabulary is made with
:meth:`Vocabulary.term`, which refuses a code that ``data/vocabularies.json`` has no
labels for: every concept the catalogue names carries its official labels (see
``data/LICENSE-NOTE.md`` for the sources).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import organisations


@dataclass(frozen=True)
class Concept:
    uri: str
    scheme: str  # the concept scheme's URI
    labels: dict[str, str]  # language -> skos:prefLabel


@dataclass(frozen=True)
class Vocabulary:
    """A concept scheme of ``data/vocabularies.json``: its URI, title and labelled terms."""

    name: str
    scheme: str
    base: str  # concept URIs are base + code
    title: dict[str, str]  # language -> dct:title
    concepts: dict[str, dict[str, str]]  # code -> language -> label

    def term(self, code: str) -> str:
        if code not in self.concepts:
            raise KeyError(f"{code!r} is not a labelled term of {self.name} (vocabularies.json)")
        return self.base + code


@cache
def vocabularies() -> dict[str, Vocabulary]:
    text = resources.files(__package__).joinpath("data", "vocabularies.json").read_text("utf-8")
    return {
        name: Vocabulary(name, spec["scheme"], spec["base"], spec["title"], spec["concepts"])
        for name, spec in json.loads(text).items()
    }


@cache
def concepts() -> dict[str, Concept]:
    """Every labelled term, by URI."""
    return {
        vocabulary.base + code: Concept(vocabulary.base + code, vocabulary.scheme, labels)
        for vocabulary in vocabularies().values()
        for code, labels in vocabulary.concepts.items()
    }


def concept(uri: str) -> Concept | None:
    return concepts().get(uri)


def scheme(uri: str) -> Vocabulary | None:
    """The vocabulary whose concept scheme has this URI."""
    for vocabulary in vocabularies().values():
        if vocabulary.scheme == uri:
            return vocabulary
    return None


_V = vocabularies()
DATA_THEME = _V["data-theme"]
DATASET_STATUS = _V["dataset-status"]
ACCESS_RIGHT = _V["access-right"]
FREQUENCY = _V["frequency"]
FILE_TYPE = _V["file-type"]
LANGUAGE = _V["language"]
OWMS_THEME = _V["owms-theme"]  # data.overheid.nl's themes
PUBLISHER_TYPE = _V["publisher-type"]  # ADMS, DCAT-AP's vocabulary for an agent's dct:type

# -- themes ("Thema", the standard's ``category``) --------------------------------------

# -> EU data theme (DCAT-AP and DCAT-AP-NL: mandatory vocabulary of dcat:theme), as in
# the research note ckan-donl.md §3.3.
EU_THEMES = {
    "Organisatie en bedrijfsvoering": DATA_THEME.term("GOVE"),
    "Cultuur en recreatie": DATA_THEME.term("EDUC"),
    "Economie": DATA_THEME.term("ECON"),
    "Overheidsfinanciën": DATA_THEME.term("ECON"),
    "Wonen": DATA_THEME.term("SOCI"),
    "Internationaal": DATA_THEME.term("INTR"),
    "Migratie en integratie": DATA_THEME.term("SOCI"),
    "Natuur en milieu": DATA_THEME.term("ENVI"),
    "Onderwijs en wetenschap": DATA_THEME.term("EDUC"),
    "Openbare orde en veiligheid": DATA_THEME.term("JUST"),
    "Recht": DATA_THEME.term("JUST"),
    "Ruimte en infrastructuur": DATA_THEME.term("REGI"),
    "Sociale zekerheid": DATA_THEME.term("SOCI"),
    "Verkeer": DATA_THEME.term("TRAN"),
    "Werk": DATA_THEME.term("ECON"),
    "Zorg en gezondheid": DATA_THEME.term("HEAL"),
}
EU_THEME_FALLBACK = DATA_THEME.term("GOVE")  # an entry without a theme still needs one

# -> OWMS TaxonomieBeleidsagenda term (DONL's theme list), as suggested in ckan-donl.md
# §3.3 (to be confirmed with KOOP and editors).
OWMS_THEMES = {
    "Organisatie en bedrijfsvoering": OWMS_THEME.term("Organisatie_en_beleid"),
    "Cultuur en recreatie": OWMS_THEME.term("Cultuur_en_recreatie"),
    "Economie": OWMS_THEME.term("Economie"),
    "Overheidsfinanciën": OWMS_THEME.term("Financien"),
    "Wonen": OWMS_THEME.term("Huisvesting_(thema)"),
    "Internationaal": OWMS_THEME.term("Internationaal"),
    "Migratie en integratie": OWMS_THEME.term("Migratie_en_integratie"),
    "Natuur en milieu": OWMS_THEME.term("Natuur_en_milieu"),
    "Onderwijs en wetenschap": OWMS_THEME.term("Onderwijs_en_wetenschap"),
    "Openbare orde en veiligheid": OWMS_THEME.term("Openbare_orde_en_veiligheid"),
    "Recht": OWMS_THEME.term("Recht_(thema)"),
    "Ruimte en infrastructuur": OWMS_THEME.term("Ruimte_en_infrastructuur"),
    "Sociale zekerheid": OWMS_THEME.term("Sociale_zekerheid"),
    "Verkeer": OWMS_THEME.term("Verkeer_(thema)"),
    "Werk": OWMS_THEME.term("Werk_(thema)"),
    "Zorg en gezondheid": OWMS_THEME.term("Zorg_en_gezondheid"),
}
OWMS_THEME_FALLBACK = OWMS_THEME.term("Bestuur")


def _terms(table, values, fallback) -> list[str]:
    result = []
    for value in values or []:
        uri = table.get(value)
        if uri and uri not in result:
            result.append(uri)
    return result or [fallback]


def eu_theme_uris(categories) -> list[str]:
    """The EU data themes of the standard's themes, without repeats; GOVE without any."""
    return _terms(EU_THEMES, categories, EU_THEME_FALLBACK)


def owms_theme_uris(categories) -> list[str]:
    """The OWMS themes of the standard's themes, without repeats; Bestuur without any."""
    return _terms(OWMS_THEMES, categories, OWMS_THEME_FALLBACK)


# -- status ("Status", the standard's ``status``) -----------------------------------------

# -> EU dataset status. The dataset is the description of the algorithm, which stays
# published when the algorithm is retired.
EU_STATUSES = {
    "In ontwikkeling": DATASET_STATUS.term("DEVELOP"),
    "In gebruik": DATASET_STATUS.term("COMPLETED"),
    "Buiten gebruik": DATASET_STATUS.term("DISCONT"),
}

# -> DONL dataset status (data.overheid.nl's Overheid:DatasetStatus). The description is
# available for every status: retired algorithms stay published for transparency, and
# "In ontwikkeling" is described already. DONL's gepland/in_onderzoek would also demand a
# date_planned. UNCERTAIN: whether KOOP prefers niet_beschikbaar for retired ones.
DONL_AVAILABLE = "http://data.overheid.nl/status/beschikbaar"
DONL_STATUSES = {
    "In ontwikkeling": DONL_AVAILABLE,
    "In gebruik": DONL_AVAILABLE,
    "Buiten gebruik": DONL_AVAILABLE,
}

# -- language ----------------------------------------------------------------------------

# ISO 639 codes -> EU language: the standard's ``lang`` (ISO 639-2) and the page's
# locale (a Django language code, ISO 639-1), for the languages a register is written in.
LANGUAGES = {
    "nl": LANGUAGE.term("NLD"),
    "nld": LANGUAGE.term("NLD"),
    "dut": LANGUAGE.term("NLD"),
    "en": LANGUAGE.term("ENG"),
    "eng": LANGUAGE.term("ENG"),
    "fy": LANGUAGE.term("FRY"),
    "fry": LANGUAGE.term("FRY"),
    "de": LANGUAGE.term("DEU"),
    "deu": LANGUAGE.term("DEU"),
    "ger": LANGUAGE.term("DEU"),
}
DEFAULT_LANGUAGE = LANGUAGE.term("NLD")


def language_uri(code: str) -> str:
    """The EU language of an ISO 639 code (any case); Dutch when unknown."""
    return LANGUAGES.get((code or "").lower(), DEFAULT_LANGUAGE)


# -- publisher ---------------------------------------------------------------------------

# Organisation URIs follow from the organisation code: the TOOI URI
# (https://identifier.overheid.nl/tooi/id/gemeente/gm0344), the successor of OWMS that
# DCAT-AP-NL 3.0 names for Dutch government organisations.
TOOI = "https://identifier.overheid.nl/tooi/id/"
# Prefix of a code -> kind of organisation (for codes missing from the packaged lists).
TOOI_KINDS = {"gm": "gemeente", "pv": "provincie", "ws": "waterschap"}
TOOI_CODE = re.compile(r"^(gm|pv|ws)[0-9]{2,4}$")

# Kind of organisation (standard.organisations.KINDS) -> ADMS publisher type.
PUBLISHER_TYPES = {
    "gemeente": PUBLISHER_TYPE.term("LocalAuthority"),
    "provincie": PUBLISHER_TYPE.term("RegionalAuthority"),
    "waterschap": PUBLISHER_TYPE.term("RegionalAuthority"),
}


def organisation_kind(code: str) -> str | None:
    """gemeente, provincie or waterschap: from the packaged lists, else from the code."""
    code = (code or "").strip().lower()
    organisation = organisations.get(code)
    if organisation:
        return organisation.kind
    return TOOI_KINDS[code[:2]] if TOOI_CODE.match(code) else None


def organisation_uri(code: str) -> str:
    """The TOOI URI of an organisation code ("" when the code is not one)."""
    kind = organisation_kind(code)
    return f"{TOOI}{kind}/{(code or '').strip().lower()}" if kind else ""


# -- distributions, licence, access, frequency --------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """One of the files every entry is published as."""

    key: str  # stable key (the CKAN resource's and the catalogue node's)
    attribute: str  # the EntryContext attribute with its URL
    file_type: str  # EU file-type code, also CKAN's format name
    media_type: str  # IANA media type

    @property
    def file_type_uri(self) -> str:
        return FILE_TYPE.term(self.file_type)

    @property
    def media_type_uri(self) -> str:
        return IANA + self.media_type


IANA = "http://www.iana.org/assignments/media-types/"
DISTRIBUTIONS = (
    Distribution("page", "public_url", "HTML", "text/html"),
    Distribution("json", "json_url", "JSON", "application/json"),
    Distribution("csv", "csv_url", "CSV", "text/csv"),
)
# Distributions in the standard's own formats (they conform to the standard).
STANDARD_FORMATS = frozenset({"json", "csv"})

# Creative Commons' own URI of CC0 1.0 (what DONL's licence list holds), and the same
# licence in the EU licence list (what DCAT-AP harvesters match).
LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/CC0"

ACCESS_PUBLIC = ACCESS_RIGHT.term("PUBLIC")  # the register is public by definition
FREQUENCY_IRREGULAR = FREQUENCY.term("IRREG")  # entries change when their algorithm does
