"""Admin forms and widgets for entries."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from wagtail_algoregister import standard
from wagtail_algoregister.history.notes import has_pending_changes


class DatalistInput(forms.TextInput):
    """A text input that suggests values (the standard's recommended items) but accepts any."""

    template_name = "wagtail_algoregister/widgets/datalist_input.html"

    def __init__(self, suggestions=(), attrs=None):
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["suggestions"] = self.suggestions
        list_id = f"{context['widget']['attrs'].get('id') or name}-suggestions"
        context["widget"]["list_id"] = list_id
        context["widget"]["attrs"]["list"] = list_id
        return context


class YearMonthInput(forms.TextInput):
    """``YYYY-MM`` as a plain text input: works the same in every browser."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "2024-03",
            "pattern": r"[0-9]{4}-[0-9]{2}",
            "inputmode": "numeric",
            "size": 8,
        }
        super().__init__({**defaults, **(attrs or {})})


class AlgorithmPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for definition in standard.scalar_fields():
            field = self.fields.get(definition.attribute)
            if field is not None:
                field.required = definition.required
        # A change note belongs to the version it was written for: a new change
        # (no draft waiting since the last publication) starts without one.
        if "change_note" in self.fields and not has_pending_changes(self.instance):
            self.initial["change_note"] = ""
        # New entries start from the register's organisation and contact.
        register = getattr(self.parent_page, "specific", None)
        if not self.instance.pk and register is not None:
            for attribute, source in (
                ("organization", "organisation_name"),
                ("contact_email", "default_contact_email"),
            ):
                default = getattr(register, source, "")
                if default and not self.initial.get(attribute):
                    self.initial[attribute] = default
