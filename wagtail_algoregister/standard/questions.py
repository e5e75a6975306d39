"""Which keys of the standard answer which question a resident has.

The national detail page groups the keys in three tabs ("Algemene informatie",
"Verantwoord gebruik", "Werking"); residents do not think in those words. The public
entry page is built on the questions residents ask instead (what does it do, why,
which data, who checks, what are the risks, which law, where can I ask or object).
This is the one mapping from questions to keys: the entry page, its contents list and
the tests read it, and :func:`unplaced_keys` keeps it complete when the standard changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from wagtail_algoregister import standard


@dataclass(frozen=True)
class Question:
    key: str  # also the anchor of its heading: ``#ar-<key>``
    title: str  # the heading, in the active language
    keys: tuple[str, ...]  # the standard's keys that answer it, in the order shown

    @property
    def anchor(self):
        return f"ar-{self.key}"

    @property
    def fields(self):
        return [standard.get(key) for key in self.keys]


# Shown at the top of the page (title, summary and the key facts), not under a question.
LEAD_KEYS = ("name", "description_short", "organization", "status", "publication_category")

# The resident's questions, in the order of the page.
QUESTIONS = (
    Question(
        "what",
        _("What does the algorithm do?"),
        (
            "category",
            "methods_and_models",
            "begin_date",
            "end_date",
            "provider",
            "publiccode",
            "website",
        ),
    ),
    Question("why", _("Why do we use it?"), ("goal", "proportionality")),
    Question(
        "data",
        _("Which data does it use?"),
        ("source_data", "source_data_grouping", "process_index_url"),
    ),
    Question("oversight", _("Who checks the outcome?"), ("human_intervention",)),
    Question(
        "risks",
        _("What are the risks, and what do we do about them?"),
        ("risks", "impacttoetsen", "impacttoetsen_grouping"),
    ),
    Question("law", _("Which law allows it?"), ("lawful_basis", "lawful_basis_grouping")),
    Question("questions", _("Questions or objections?"), ("contact_email",)),
)

# Bookkeeping about the description itself (for reusers, not residents): folded away.
DETAIL_KEYS = ("url", "source_id", "lang", "standard_version", "tags")


def get(key) -> Question:
    return next(question for question in QUESTIONS if question.key == key)


@cache
def unplaced_keys() -> tuple[str, ...]:
    """Input keys of the standard that no question, the lead or the details shows."""
    placed = {*LEAD_KEYS, *DETAIL_KEYS}
    for question in QUESTIONS:
        placed.update(question.keys)
    return tuple(key for key in standard.input_fields() if key not in placed)
