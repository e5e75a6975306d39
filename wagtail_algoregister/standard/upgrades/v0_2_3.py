"""0.2.3 → 0.3.1: five fields dropped, ``iama_description`` narrowed to a link.

0.3.1 added ``provider``, ``process_index_url``, ``source_id`` and ``tags`` and
dropped what 1.0 still asks for in other words:

- ``decision_making_process`` → ``goal``, ``mprd`` (links with base registries) →
  ``source_data``, ``competent_authority`` → ``lawful_basis``: appended as a paragraph
  under the old field's Dutch title;
- ``documentation`` becomes the ``website`` when that is empty (else it is left out);
- ``dpia_description`` ("Omschrijving van de DPIA"): the DPIA was done (``dpia`` "Ja");
  a link is the DPIA's link in 1.0, text goes to the explanation ``impacttoetsen``;
- ``iama_description`` was "Omschrijving van de IAMA" and is "Link naar
  Mensenrechtentoets" in 0.3.1: text goes to the explanation ``impacttoetsen``, a link
  stays.
"""

from django.utils.translation import gettext as _

from wagtail_algoregister.standard.upgrades.base import MOVED, is_url, text_of


FROM, TO = "0.2.3", "0.3.1"

APPEND_TO = {
    "decision_making_process": "goal",
    "mprd": "source_data",
    "competent_authority": "lawful_basis",
}

DPIA = "Data Protection Impact Assessment (DPIA)"


def step(u) -> None:
    for key, target in APPEND_TO.items():
        u.append(key, target)

    documentation = text_of(u.record.get("documentation"))
    if documentation and not text_of(u.record.get("website")):
        u.record["website"] = u.take("documentation")
        u.change("documentation", MOVED, ["website"], documentation)
    else:
        u.ignore("documentation", _("The entry has a website already."))

    description = text_of(u.take("dpia_description"))
    if description:
        u.record["dpia"] = "Ja"
        if is_url(description):
            u.add_assessment(DPIA, description, "dpia_description")
            u.change("dpia_description", MOVED, ["impacttoetsen_grouping"], description)
        else:
            u.add_assessment(DPIA, "", "dpia_description")
            u.append_text(
                "dpia_description", "impacttoetsen", "Omschrijving van de DPIA", description
            )
            u.change(
                "dpia_description",
                MOVED,
                ["impacttoetsen_grouping", "impacttoetsen"],
                description,
            )

    iama = text_of(u.record.get("iama_description"))
    if iama and not is_url(iama):
        u.take("iama_description")
        u.append_text("iama_description", "impacttoetsen", "Omschrijving van de IAMA", iama)
        u.change("iama_description", MOVED, ["impacttoetsen"], iama)
