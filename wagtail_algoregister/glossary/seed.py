"""The shipped words explained, put into a locale once.

The migration that creates the glossary fills the locales that exist then; a locale
created later (English added to a Dutch site) is filled when it is created (a
``post_save`` handler on ``Locale``). A locale is filled only in Dutch or English
(by the first part of its language code), and a term is only added when the locale
does not have it yet: editors' changes and deletions are never undone, because
nothing runs again for an existing locale. Dutch and English terms share their
``translation_key``, so Wagtail sees them as translations of each other.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from importlib import resources

from django.utils.text import slugify

from wagtail_algoregister.models.glossary import GlossaryTerm


LANGUAGES = ("nl", "en")
# Fixed, so that every site gives a shipped term the same translation key.
NAMESPACE = uuid.UUID("6f1c4d1e-3b9a-4c55-9d0e-2a7f5b8c1e42")


@cache
def defaults() -> tuple[dict, ...]:
    text = resources.files("wagtail_algoregister.glossary").joinpath("data", "terms.json")
    return tuple(json.loads(text.read_text("utf-8"))["terms"])


def language_of(language_code: str) -> str:
    return (language_code or "").split("-")[0].lower()


def translation_key(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def seed_locale(term_model, locale) -> int:
    """Add the shipped terms missing from ``locale``; returns how many were added.

    ``term_model`` is ``GlossaryTerm`` (or its historical version in a migration).
    """
    language = language_of(locale.language_code)
    if language not in LANGUAGES:
        return 0
    have = set(term_model.objects.filter(locale=locale).values_list("translation_key", flat=True))
    new = []
    for item in defaults():
        key = translation_key(item["key"])
        text = item.get(language)
        if text and key not in have:
            new.append(
                term_model(
                    translation_key=key,
                    locale=locale,
                    term=text["term"],
                    variants=text.get("variants", ""),
                    definition=text["definition"],
                    slug=slugify(text["term"]),
                )
            )
    term_model.objects.bulk_create(new)
    return len(new)


def seed_new_locale(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_locale(GlossaryTerm, instance)
