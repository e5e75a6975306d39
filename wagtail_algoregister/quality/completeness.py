"""Completeness: which of the standard's input keys an entry fills.

The keys come from the standard's definitions (:func:`standard.input_fields`). Of
those, a few answer what residents ask first (what is it for, does a person decide,
what can go wrong, which data, which assessments, which law); :data:`RESIDENT_TOPICS`
names them by key, and an empty one is pointed out by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import standard
from ..standard.validation import strip_html


# What residents need most, each a topic of one or more keys (text and its links):
# filled when any of its keys is. The first key's label names the topic.
RESIDENT_TOPICS = (
    ("goal",),
    ("human_intervention",),
    ("risks",),
    ("source_data", "source_data_grouping"),
    ("impacttoetsen_grouping", "impacttoetsen"),
    ("lawful_basis", "lawful_basis_grouping"),
)


def is_filled(definition: standard.FieldDef, value) -> bool:
    """Whether ``value`` holds content for this key (an empty paragraph does not)."""
    if value is None:
        return False
    if definition.is_grouping:
        return any(any(str(v or "").strip() for v in (row or {}).values()) for row in value)
    if definition.is_multiple_choice:
        return any(v not in (None, "") for v in value)
    text = str(value)
    if definition.is_rich_text:
        text = strip_html(text)
    return bool(text.strip())


@dataclass(frozen=True)
class Topic:
    keys: tuple[str, ...]

    @property
    def key(self):
        return self.keys[0]

    @property
    def label(self):
        return standard.get(self.key).label


@dataclass(frozen=True)
class Completeness:
    filled: tuple[str, ...]
    empty: tuple[str, ...]
    missing_for_residents: tuple[Topic, ...]

    @property
    def total(self) -> int:
        return len(self.filled) + len(self.empty)

    @property
    def filled_count(self) -> int:
        return len(self.filled)

    @property
    def percentage(self) -> int:
        return round(100 * self.filled_count / self.total) if self.total else 100

    @property
    def is_complete(self) -> bool:
        return not self.empty


def completeness(entry: dict) -> Completeness:
    """Count the filled input keys of ``entry`` (national format)."""
    filled, empty = [], []
    for key, definition in standard.input_fields().items():
        (filled if is_filled(definition, entry.get(key)) else empty).append(key)
    missing = tuple(
        Topic(keys) for keys in RESIDENT_TOPICS if not any(key in filled for key in keys)
    )
    return Completeness(tuple(filled), tuple(empty), missing)
