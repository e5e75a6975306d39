"""The Eurocities "Algorithmic Transparency Standard" 0.3.1 template, mapped to the national keys.

The template is the CSV at ``standaard.algoritmeregister.org/registration-v0.3.1.template.csv``
(``Algoritmeregister/standard:formats/registration-v0.3.1.template.csv``): one header
line of the attributes of ``_data/schema-v0_3_1.yaml``, quoted and separated by
semicolons, one line per registration. Its vocabularies come in English and Dutch.

:func:`to_national` renames its attributes to the national register's keys of the
same meaning (and to the old national keys where 1.0 merged fields, so that
:func:`wagtail_algoregister.standard.upgrades.upgrade` applies the same merges): the mapping follows the comparison
in the research notes (§6.1) and the standard's own descriptions:

- ``domain`` (21 values) → ``category`` through :data:`DOMAINS` (our mapping onto the
  16 themes of 1.0);
- ``status`` (7 phases) → the national status (:data:`STATUS`);
- ``risk_category`` "high risk"/"unacceptable" → publication category "Hoog-risico
  AI-systeem"; lower risks say nothing about categories B and C, so the category
  stays empty (give ``--publication-category``);
- ``impact``, ``decision_making_process`` → appended to ``goal``; ``alternatives_considered``
  → ``proportionality``; ``training_data``, ``connected_data_sources`` → ``source_data``;
  ``data_bias``, ``monitoring`` → ``risks``; ``description``, ``performance``,
  ``algorithm_type`` → ``methods_and_models``;
- ``DPIA_*`` and ``AIA_*`` → items of ``impacttoetsen_grouping`` and the explanation;
- ``codebase_url`` → ``publiccode``; ``documentation``/``product_page`` → ``website``
  when it is empty; ``keywords`` → ``tags``; ``uuid`` → ``source_id``;
  ``revision_date`` → the local next review date; ``department`` and
  ``objection_procedure`` → the local fields;
- left out (with a note): ``country``, ``area``, ``remark``, ``revision_note``,
  ``rollback``, ``type``, ``product_information``, ``contact_name``,
  ``contact_phone`` (personal data the national standard deliberately leaves out),
  ``publication_date``, ``last_change_date``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wagtail_algoregister.standard.upgrades import Upgraded, upgrade
from wagtail_algoregister.standard.upgrades.base import NOTE, Change, append_paragraph, shorten
from wagtail_algoregister.standard.upgrades.base import text_of as _text


# Attributes only the Eurocities template has (used to recognise it).
SIGNATURE = {"domain", "risk_category", "algorithm_type", "training_data", "codebase_url"}

STATUS = {
    **dict.fromkeys(
        ["planned", "design", "development", "pilot", "evaluation"]
        + ["gepland", "ontwerp", "ontwikkeling", "evaluatie"],
        "In ontwikkeling",
    ),
    "operational": "In gebruik",
    "operationeel": "In gebruik",
    "retired": "Buiten gebruik",
    "beëindigd": "Buiten gebruik",
}

# Eurocities domain (English and Dutch) → themes of standard 1.0 (our mapping).
DOMAINS = {
    ("taxes", "belastingen"): ["Overheidsfinanciën"],
    ("housing, living and living environment", "bouwen, wonen en leefomgeving"): ["Wonen"],
    ("culture, sports and leisure", "cultuur, sport en vrije tijd"): ["Cultuur en recreatie"],
    ("defence", "defensie"): ["Openbare orde en veiligheid"],
    ("economy and entrepreneurship", "economie en ondernemen"): ["Economie"],
    ("family, youth and households", "familie, jeugd en gezin"): ["Zorg en gezondheid"],
    ("finance", "financiën"): ["Overheidsfinanciën"],
    ("generic", "generiek"): ["Organisatie en bedrijfsvoering"],
    ("health and health care", "gezondheid en zorg"): ["Zorg en gezondheid"],
    ("immigration and integration", "immigratie, integratie en inburgering"): [
        "Migratie en integratie"
    ],
    (
        "international collaboration and development aid",
        "internationale- en ontwikkelingssamenwerking",
    ): ["Internationaal"],
    ("agriculture, nature and food", "landbouw, natuur en voedsel"): ["Natuur en milieu"],
    ("environment, spacial planning and water", "milieu, ruimte en water"): [
        "Natuur en milieu",
        "Ruimte en infrastructuur",
    ],
    ("education and science", "onderwijs en wetenschap"): ["Onderwijs en wetenschap"],
    ("public safety", "openbare orde en veiligheid"): ["Openbare orde en veiligheid"],
    ("government", "overheid, bestuur en koninkrijk"): ["Organisatie en bedrijfsvoering"],
    ("justice", "rechtspraak"): ["Recht"],
    ("travel, living and working abroad", "reizen, wonen en werken in het buitenland"): [
        "Internationaal"
    ],
    ("subsidies, benefits and allowances", "subsidies, uitkeringen en toeslagen"): [
        "Sociale zekerheid"
    ],
    ("traffic and transportation", "verkeer en vervoer"): ["Verkeer"],
    ("work and career", "werk en loopbaan"): ["Werk"],
}
_DOMAIN = {name: themes for names, themes in DOMAINS.items() for name in names}

HIGH_RISK = {"high risk", "hoog risico", "unacceptable", "onaanvaardbaar"}

# Same meaning, other name: Eurocities attribute → national key (old keys where 1.0 merged).
RENAMES = {
    "keywords": "tags",
    "codebase_url": "publiccode",
    "uuid": "source_id",
    "DPIA_description": "dpia_description",
}
SAME = (
    "name",
    "organization",
    "department",
    "contact_email",
    "description_short",
    "website",
    "goal",
    "impact",
    "decision_making_process",
    "risks",
    "proportionality",
    "lawful_basis",
    "documentation",
    "source_data",
    "description",
    "methods_and_models",
    "monitoring",
    "human_intervention",
    "objection_procedure",
    "revision_date",
    "lang",
)
# Appended to a 1.0 key under the template's own (Dutch) title.
APPEND = {
    "alternatives_considered": ("proportionality", "Overwogen alternatieven"),
    "training_data": ("source_data", "Training data"),
    "connected_data_sources": ("source_data", "Aangesloten databronnen"),
    "data_bias": ("risks", "Data bias"),
    "performance": ("methods_and_models", "Prestaties van het algoritme"),
    "algorithm_type": ("methods_and_models", "Type algoritme"),
}
# Attributes with no place in standard 1.0 (reported as left out).
LEFT_OUT = (
    "country",
    "area",
    "remark",
    "revision_note",
    "rollback",
    "type",
    "product_information",
    "contact_name",
    "contact_phone",
    "publication_date",
    "last_change_date",
)


def is_eurocities(header) -> bool:
    return len(SIGNATURE & {str(h).strip() for h in header}) >= 2


def to_national(row: dict) -> Upgraded:
    """One row of the template as an entry of standard 1.0."""
    row = {str(k).strip(): _text(v) for k, v in row.items() if k is not None}
    record = {key: row[key] for key in SAME if row.get(key)}
    for old, new in RENAMES.items():
        if row.get(old):
            record[new] = row[old]
    if record.get("lang"):
        record["lang"] = {"nl": "nld", "en": "eng"}.get(record["lang"].lower(), record["lang"])
    if not record.get("website"):
        record["website"] = row.get("product_page") or row.get("documentation") or ""
    record.pop("documentation", None)
    record["standard_version"] = "0.3.1"
    upgraded = upgrade(record)
    upgraded.version = "Eurocities 0.3.1"
    national = upgraded.national

    def note(key, text):
        upgraded.changes.append(Change(key, "", NOTE, text=text))

    status = row.get("status", "").strip().lower()
    if status:
        national["status"] = STATUS.get(status, row["status"])
    domains = [d.strip() for d in row.get("domain", "").split(";") if d.strip()]
    themes = []
    for domain in domains:
        mapped = _DOMAIN.get(domain.lower())
        if mapped:
            themes += mapped
        else:
            note(
                "domain", _("domain “%(value)s” has no theme in standard 1.0.") % {"value": domain}
            )
    national["category"] = list(dict.fromkeys(themes))
    if row.get("risk_category", "").strip().lower() in HIGH_RISK:
        national["publication_category"] = "Hoog-risico AI-systeem"
    for attribute, (target, title) in APPEND.items():
        if row.get(attribute):
            append_paragraph(national, target, title, row[attribute])
            upgraded.origins.setdefault(target, []).append(attribute)
    if row.get("DPIA_url") or row.get("DPIA_description"):
        upgraded.add_assessment(
            "Data Protection Impact Assessment (DPIA)", row.get("DPIA_url", ""), "DPIA_url"
        )
    if row.get("AIA_url") or row.get("AIA_description"):
        upgraded.add_assessment("Algoritme impact assessment", row.get("AIA_url", ""), "AIA_url")
        if row.get("AIA_description"):
            append_paragraph(
                national, "impacttoetsen", "Algoritme impact assessment", row["AIA_description"]
            )
    for key in LEFT_OUT:
        if row.get(key):
            note(
                key,
                _(
                    "“%(key)s” (“%(value)s”) of the Eurocities template has no place in standard 1.0: ignored."
                )
                % {"key": key, "value": shorten(row[key])},
            )
    return upgraded
