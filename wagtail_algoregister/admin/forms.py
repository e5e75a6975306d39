"""Admin forms and widgets for entries."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from wagtail_algoregister import standard
from wagtail_algoregister.history.notes import has_pending_changes


def count_attrs(limit, *, rich=False, controller=""):
    """Widget attributes for the live count of what is left (``js/count.js``).

    ``controller``: a Stimulus controller the widget has already (Draftail's ``w-init``).
    """
    attrs = {
        "data-controller": f"{controller} algoregister-count".strip(),
        "data-algoregister-count-limit-value": limit,
        "data-algoregister-count-left-value": _("{count} characters left"),
        "data-algoregister-count-left-one-value": _("{count} character left"),
        "data-algoregister-count-over-value": _("{count} characters too many"),
        "data-algoregister-count-over-one-value": _("{count} character too many"),
    }
    if rich:
        attrs["data-algoregister-count-rich-value"] = "true"
    return attrs


class DatalistInput(forms.TextInput):
    """A text input that suggests values (the standard's recommended items) but accepts any."""

    template_name = "wagtail_algoregister/widgets/datalist_input.html"

    def __init__(self, suggestions=(), attrs=None):
        super().__init__(attrs)
        # A value, or (value, label): the browser filters on both as one types.
        self.suggestions = [s if isinstance(s, tuple) else (s, s) for s in suggestions]

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
            # A pattern, not a date that could pass for a value typed in.
            "placeholder": _("yyyy-mm"),
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
        # The browser cuts typed and pasted text at ``maxlength`` without a word; the
        # live count shows the limit instead, and validation names the overrun.
        for form in [self, *(f for formset in self.formsets.values() for f in formset.forms)]:
            for field in form.fields.values():
                field.widget.attrs.pop("maxlength", None)
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

    def clean(self):
        # While a draft is saved (Wagtail's deferred validation), the standard's rules
        # wait for publishing: the models read this flag in their clean().
        cleaned_data = super().clean()
        deferred = self.is_deferred_validation
        self.instance.is_deferred_validation = deferred
        for formset in self.formsets.values():
            for form in formset.forms:
                form.instance.is_deferred_validation = deferred
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        # An empty required field fails twice: the form's "required" and the standard's
        # own "<label>: this field is required." (which imports also give). Keep one.
        for definition in standard.scalar_fields():
            problems = self.errors.get(definition.attribute) if self.is_bound else None
            if not problems or len(problems) < 2:
                continue
            codes = [e.code for e in problems.as_data()]
            if "required" in codes:
                standard_message = f"{definition.label}: {gettext('this field is required.')}"
                self.errors[definition.attribute] = self.error_class(
                    [e for e in problems.as_data() if e.messages != [standard_message]]
                )

    def save(self, commit=True):
        # The flag holds for this validation only, never for a later save of the page.
        for instance in [
            self.instance,
            *(f.instance for formset in self.formsets.values() for f in formset.forms),
        ]:
            instance.__dict__.pop("is_deferred_validation", None)
        return super().save(commit=commit)
