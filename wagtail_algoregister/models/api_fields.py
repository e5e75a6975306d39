"""How entries appear in Wagtail's API v2: serializer fields and the entry's ``api_fields``.

The endpoints are in :mod:`wagtail_algoregister.api`.
"""

from __future__ import annotations

from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.models import Page

from wagtail_algoregister import standard


class LinkListField(Field):
    """A link grouping of the standard as a list of ``{title, link}`` objects."""

    def __init__(self, key, **kwargs):
        self.key = key
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        items = list(standard.get(self.key).items)
        return [{item: getattr(link, item) for item in items} for link in value.all()]


class ValueListField(Field):
    """A list of vocabulary values (the themes) as a JSON list of strings."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return list(value or [])


class IdentifierURIField(Field):
    """The entry's stable identifier URI; one query per register, not per entry."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        cache = self.context.setdefault("_algoregister_register_urls", {})
        parent_path = page.path[: -Page.steplen]
        if parent_path not in cache:
            parent = Page.objects.filter(path=parent_path).first()
            cache[parent_path] = parent.full_url if parent else ""
        return identifier_uri(cache[parent_path] or "", page.translation_key)


def entry_api_fields():
    """``api_fields`` of an entry, from the standard's definitions plus the local fields."""
    fields = []
    for definition in standard.input_fields().values():
        if definition.attribute == "title":
            continue  # the pages endpoint serves the title already
        if definition.is_grouping:
            fields.append(APIField(definition.attribute, serializer=LinkListField(definition.key)))
        elif definition.is_multiple_choice:
            fields.append(APIField(definition.attribute, serializer=ValueListField()))
        else:
            fields.append(APIField(definition.attribute))
    fields += [
        APIField("lars"),
        APIField("department"),
        APIField("objection_procedure"),
        APIField("next_review_date"),
        APIField("identifier_uri", serializer=IdentifierURIField()),
    ]
    return fields


def identifier_uri(register_url, translation_key):
    """The identifier URI of an entry, from its register's full URL."""
    return f"{register_url}id/{translation_key}/" if register_url else ""
