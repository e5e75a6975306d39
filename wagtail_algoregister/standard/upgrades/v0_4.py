"""0.4 → 1.0: single links become groupings, the list of assessments becomes one.

1.0 added ``publication_category`` (a legal classification: never guessed, see the
importer's ``--publication-category``), the three link groupings and, again,
``process_index_url``; it dropped:

- ``type`` ("(Zelf)lerend"), which 1.0 asks to state in the technical design:
  appended to ``methods_and_models`` under its old title;
- ``lawful_basis_link`` and ``source_data_link``: one item of ``lawful_basis_grouping``
  and ``source_data_grouping`` (titled with the link itself when it is a web address
  that fits the title, else with the old field's title; text stays the link, as the
  national register accepts it, with a warning);
- ``impacttoetsen`` was the list of assessments done; in 1.0 the same key is the
  explanation and the list is ``impacttoetsen_grouping``;
- ``iama_description`` ("Link naar impacttoetsen"): the link of the only assessment
  without one, else a paragraph of the explanation ``impacttoetsen``;
- ``uuid`` ("Landelijk-ID"): the national id (``lars``) when it is one, else left out.

Themes: 1.0 has 16 of 0.4's 19. :data:`THEME_RENAMES` maps the others (Financiën →
Overheidsfinanciën and Huisvesting → Wonen are renames; Dienstverlening, Bestuur and
Landbouw have no successor and go to the nearest 1.0 theme, our choice); what names no
theme is kept as search terms (``tags``), with a note.
"""

from django.utils.translation import gettext as _

from wagtail_algoregister.standard import get
from wagtail_algoregister.standard.upgrades.base import (
    IGNORED,
    MOVED,
    grouping_title_limit,
    is_url,
    split_themes,
    text_of,
)
from wagtail_algoregister.standard.validation import is_lars
from wagtail_algoregister.standard.versions import title as version_title


FROM, TO = "0.4", "1.0"

# 0.4 themes that 1.0 renamed or dropped (see the module docstring).
THEME_RENAMES = {
    "Financiën": "Overheidsfinanciën",
    "Huisvesting": "Wonen",
    "Dienstverlening": "Organisatie en bedrijfsvoering",
    "Bestuur": "Organisatie en bedrijfsvoering",
    "Landbouw": "Natuur en milieu",
}

SINGLE_LINKS = {
    "lawful_basis_link": "lawful_basis_grouping",
    "source_data_link": "source_data_grouping",
}


def step(u) -> None:
    u.append("type", "methods_and_models")
    for key, grouping in SINGLE_LINKS.items():
        link = text_of(u.take(key))
        if link:
            fits = is_url(link) and len(link) <= grouping_title_limit(grouping)
            row = {"title": link if fits else version_title(key, FROM), "link": link}
            u.add_row(grouping, row, key)
            u.change(key, MOVED, [grouping], link)
    _assessments(u)
    _identifier(u)
    _themes(u)


def _assessments(u) -> None:
    listed = u.record.get("impacttoetsen")
    if isinstance(listed, str):
        # The 0.4 list as the national CSV download flattens it.
        listed = [v.strip() for v in listed.split(", ") if v.strip()]
    if isinstance(listed, (list, tuple)):
        u.take("impacttoetsen")
        for item in listed:
            if isinstance(item, dict):
                u.add_assessment(
                    text_of(item.get("title")), text_of(item.get("link")), "impacttoetsen"
                )
            elif text_of(item):
                u.add_assessment(text_of(item), "", "impacttoetsen")
        if listed:
            u.change("impacttoetsen", MOVED, ["impacttoetsen_grouping"], listed)
    link = text_of(u.take("iama_description"))
    if not link:
        return
    without_link = [i for i, (_t, row_link, _k) in enumerate(u.assessments) if not row_link]
    if is_url(link) and len(u.assessments) == 1 and without_link:
        title, _link, key = u.assessments[0]
        u.assessments[0] = (title, link, key)
        u.change("iama_description", MOVED, ["impacttoetsen_grouping"], link)
    else:
        u.append_text(
            "iama_description", "impacttoetsen", version_title("iama_description", FROM), link
        )
        u.change("iama_description", MOVED, ["impacttoetsen"], link)


def _identifier(u) -> None:
    uuid = text_of(u.take("uuid"))
    if not uuid:
        return
    if is_lars(uuid) and not u.lars:
        u.lars = uuid
        u.change("uuid", MOVED, ["lars"], uuid)
    else:
        u.change(
            "uuid",
            IGNORED,
            value=uuid,
            reason=_("It is not a national id (eight digits), or the entry has one already."),
        )


def _themes(u) -> None:
    value = u.record.get("category")
    if isinstance(value, str):
        value = split_themes(value)
    if not isinstance(value, (list, tuple)):
        return
    permitted = {v.casefold(): v for v in get("category").permitted_values}
    renames = {k.casefold(): v for k, v in THEME_RENAMES.items()}
    themes, unmatched = [], []
    for item in (text_of(v) for v in value):
        fold = item.casefold()
        if not item:
            continue
        if fold in permitted:
            themes.append(permitted[fold])
        elif fold in renames:
            themes.append(renames[fold])
            u.note(
                "category",
                _("theme “%(old)s” of standard 0.4 is “%(new)s” in 1.0.")
                % {"old": item, "new": renames[fold]},
            )
        else:
            unmatched.append(item)
    u.record["category"] = list(dict.fromkeys(themes))
    if unmatched:
        tags = text_of(u.record.get("tags"))
        u.record["tags"] = ", ".join(t for t in [tags, *unmatched] if t)
        u.note(
            "category",
            _("policy area “%(value)s” is no theme of standard 1.0; kept as search terms.")
            % {"value": ", ".join(unmatched)},
        )
