"""0.3.1 → 0.4: local fields leave the standard, impact assessments become a list.

0.4 added ``begin_date``, ``end_date``, ``lawful_basis_link``, ``impacttoetsen`` and
``source_data_link``, merged ``goal`` and ``impact`` into "Doel en impact", and
dropped:

- ``impact`` → ``goal``; ``description`` and ``performance_standard`` →
  ``methods_and_models``; ``monitoring`` → ``risks`` ("Risicobeheer"): appended as a
  paragraph under the old title;
- ``department``, ``objection_procedure`` and ``revision_date`` ("Herzieningsdatum"):
  kept in this site's own fields (``department``, ``objection_procedure``,
  ``next_review_date``);
- ``iama``/``dpia`` ("Ja"/"Nee"): an assessment that was done becomes an item of 1.0's
  ``impacttoetsen_grouping`` (with the standard's recommended title); the IAMA's link
  (``iama_description``, "Link naar Mensenrechtentoets") becomes that item's link;
- ``process_index_url``: 0.4 dropped it, 1.0 has it again: kept for 1.0;
- ``area``, ``application_url``: no place, left out.

``uuid`` was the source's own id ("UUID"); 0.4 uses the key for the national id
("Landelijk-ID"): a national id (LARS code) stays the entry's national id, any other
value becomes ``source_id`` when the record has none. ``category`` was free text
("Beleidsterrein") and is a list of themes from 0.4 on: what names no theme of 0.4 or
1.0 is kept as search terms (``tags``), with a note.
"""

from django.utils.translation import gettext as _

from wagtail_algoregister.standard import get
from wagtail_algoregister.standard.upgrades.base import (
    IGNORED,
    LOCAL,
    MOVED,
    is_url,
    parse_date,
    split_themes,
    text_of,
)
from wagtail_algoregister.standard.upgrades.v0_4 import THEME_RENAMES
from wagtail_algoregister.standard.validation import is_lars


FROM, TO = "0.3.1", "0.4"

APPEND_TO = {
    "impact": "goal",
    "description": "methods_and_models",
    "performance_standard": "methods_and_models",
    "monitoring": "risks",
}
LOCAL_KEYS = {"department": "department", "objection_procedure": "objection_procedure"}

IAMA = "Impact Assessment Mensenrechten en Algoritmes (IAMA)"
DPIA = "Data Protection Impact Assessment (DPIA)"
YES = {"ja", "yes", "true", "1", "j", "y"}


def step(u) -> None:
    for key, target in APPEND_TO.items():
        u.append(key, target)

    for key, attribute in LOCAL_KEYS.items():
        value = u.take(key)
        if text_of(value):
            u.local[attribute] = text_of(value)
            u.change(key, LOCAL, [attribute], value)
    revision = u.take("revision_date")
    if text_of(revision):
        u.local["next_review_date"] = parse_date(u, "revision_date", revision)
        u.change("revision_date", LOCAL, ["next_review_date"], revision)

    process_index = u.take("process_index_url")
    if text_of(process_index):
        u.later["process_index_url"] = text_of(process_index)

    _assessments(u)
    _identifier(u)
    _themes(u)
    for key in ("area", "application_url"):
        u.ignore(key)


def _assessments(u) -> None:
    link = text_of(u.record.get("iama_description"))
    for key, title in (("iama", IAMA), ("dpia", DPIA)):
        value = u.take(key)
        done = text_of(value).lower() in YES
        if done:
            u.add_assessment(title, "", key)
            u.change(key, MOVED, ["impacttoetsen_grouping"], value)
        elif text_of(value):
            u.change(
                key,
                IGNORED,
                value=value,
                reason=_("Standard 1.0 lists only the impact assessments that were done."),
            )
    if link:
        u.take("iama_description")
        if is_url(link):
            u.add_assessment(IAMA, link, "iama_description")
            u.change("iama_description", MOVED, ["impacttoetsen_grouping"], link)
        else:
            u.append_text("iama_description", "impacttoetsen", "Link naar Mensenrechtentoets", link)
            u.change("iama_description", MOVED, ["impacttoetsen"], link)


def _identifier(u) -> None:
    uuid = text_of(u.take("uuid"))
    if not uuid:
        return
    if is_lars(uuid) and not u.lars:
        u.lars = uuid
        u.change("uuid", MOVED, ["lars"], uuid)
    elif not text_of(u.record.get("source_id")):
        u.record["source_id"] = uuid
        u.change("uuid", MOVED, ["source_id"], uuid)
    else:
        u.change("uuid", IGNORED, value=uuid, reason=_("The entry has a source_id already."))


def _themes(u) -> None:
    value = u.record.get("category")
    if not isinstance(value, (str, list, tuple)):
        value = text_of(value)  # a number or a yes/no from a spreadsheet
    if not isinstance(value, str) or not value.strip():
        return
    known = {v.casefold() for v in get("category").permitted_values} | {
        v.casefold() for v in THEME_RENAMES
    }
    text = value.strip()
    items = [text] if text.casefold() in known else split_themes(text)
    themes = [item for item in items if item.casefold() in known]
    unmatched = [item for item in items if item.casefold() not in known]
    u.record["category"] = themes
    if unmatched:
        tags = text_of(u.record.get("tags"))
        u.record["tags"] = ", ".join(t for t in [tags, *unmatched] if t)
        u.note(
            "category",
            _("policy area “%(value)s” is no theme of standard 1.0; kept as search terms.")
            % {"value": ", ".join(unmatched)},
        )
