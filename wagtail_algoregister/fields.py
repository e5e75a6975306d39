"""Model fields built from the standard's definitions."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.fields import RichTextField

from wagtail_algoregister import standard


# The rich-text editor offers exactly what the standard permits: paragraphs,
# line breaks and lists (``p`` and ``br`` are always available in Draftail).
STANDARD_RICH_TEXT_FEATURES = ["ol", "ul"]


class ChoiceListField(models.TextField):
    """A list of vocabulary values, stored as JSON text.

    Text rather than ``JSONField`` so that "has value X" is the same portable
    ``LIKE '%"X"%'`` filter on SQLite and PostgreSQL (see :meth:`contains_q`).
    """

    def __init__(self, *args, choices_from=None, **kwargs):
        self.choices_from = choices_from
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_from"] = self.choices_from
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    @property
    def definition(self):
        return standard.get(self.choices_from)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, (list, tuple)):
            return list(value)
        try:
            parsed = json.loads(value)
        except (TypeError, ValueError) as e:
            raise ValidationError(f"Invalid list value: {value!r}") from e
        return parsed if isinstance(parsed, list) else [parsed]

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            value = self.to_python(value)
        return json.dumps(list(value or []), ensure_ascii=False)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.definition.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        # Vocabulary errors are reported by the standard's validation, which
        # names the field and the allowed values.
        return

    @staticmethod
    def contains_q(field_name, value):
        return models.Q(**{f"{field_name}__contains": json.dumps(value, ensure_ascii=False)})


def model_field(definition: standard.FieldDef):
    """The Django model field that stores one scalar key of the standard.

    Fields are ``blank=True`` at the database level: required-ness is checked by
    the standard's validation so that drafts can be saved incomplete, and
    required fields are marked as such in the admin form. Text has no limit in the
    database either: the standard's limit counts text without formatting and is
    checked by its validation on publish, so a draft keeps whatever was typed.
    """
    common = {"verbose_name": definition.label, "help_text": definition.help_text, "blank": True}
    if definition.is_multiple_choice:
        return ChoiceListField(choices_from=definition.key, **common)
    if definition.is_rich_text:
        return RichTextField(features=STANDARD_RICH_TEXT_FEATURES, default="", **common)
    if definition.is_choice:
        return models.CharField(
            max_length=max(len(v) for v in definition.permitted_values),
            choices=definition.choices,
            default=definition.permitted_values[0] if len(definition.permitted_values) == 1 else "",
            **common,
        )
    return models.TextField(default="", **common)
