"""The public feedback form of an entry."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.feedback import spam


MESSAGE_MAX_LENGTH = 5000

# The field robots fill in and people leave empty (hidden from view by the stylesheet,
# from screen readers by aria-hidden, and out of the tab order). Named like a field
# robots expect.
HONEYPOT = "website"


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "What is not right, or what do you want to know? Say which part of the description it is about, if you can."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Type your message."),
            "max_length": _("Your message is too long: use at most %(limit_value)d characters."),
        },
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        help_text=_("Fill this in if you want an answer."),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _(
                "Type a complete e-mail address, such as name@example.nl, or leave it empty."
            )
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        # Why the sending was refused as from a robot (no message is stored then).
        self.refusal = None
        # Every form shown gets a new timestamp, also when it is shown again.
        self.fields["started"].initial = spam.form_token(page.pk)
        if self.is_bound:
            data = self.data.copy()
            data["started"] = self.fields["started"].initial
            self.token = self.data.get("started", "")
            self.data = data
        else:
            self.token = ""

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Type your message."), code="required")
        return message

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            self.refusal = "honeypot"
            raise ValidationError(
                _("Leave the field “Leave this field empty” empty, and send your message again."),
                code="honeypot",
            )
        if self.errors:
            # The resident must send again anyway (with a new timestamp): one thing at a time.
            return cleaned
        problem = spam.token_problem(self.token, self.page.pk)
        if problem == spam.TOO_FAST:
            self.refusal = problem
            raise ValidationError(
                _("Your message was sent very quickly. Check it, and send it again."),
                code=problem,
            )
        if problem == spam.EXPIRED:
            self.refusal = problem
            raise ValidationError(
                _("This form was open for a long time. Check your message, and send it again."),
                code=problem,
            )
        return cleaned
