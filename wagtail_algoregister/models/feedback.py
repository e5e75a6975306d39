"""Messages from residents about an entry: an error to report or a question to ask.

Sent with the form at ``<entry URL>feedback/`` (:mod:`wagtail_algoregister.feedback`),
kept for the register's editors (the admin's inbox), never published. The resident's
name, e-mail address and text are personal data: they are removed after
``FEEDBACK_RETENTION_DAYS`` (:mod:`wagtail_algoregister.feedback.retention`); the
reference, dates, state and entry stay, so the organisation can still count them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.models.pages import AlgorithmPage, AlgorithmRegisterPage


REFERENCE_PREFIX = "AR"


class Feedback(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, blank=True, editable=False
    )
    register = models.ForeignKey(
        AlgorithmRegisterPage,
        verbose_name=_("register"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    # Kept when the entry is deleted: the title and address say what it was about.
    entry = models.ForeignKey(
        AlgorithmPage,
        verbose_name=_("algorithm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entry_title = models.CharField(_("about"), max_length=255)
    entry_url = models.CharField(_("page"), max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    internal_note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_(
            "For your colleagues only; never shown to residents. Removed with the personal data."
        ),
    )
    notified_to = models.CharField(_("sent to"), max_length=254, blank=True, editable=False)
    notified_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True, editable=False)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("message from a resident")
        verbose_name_plural = _("messages from residents")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.reference} – {self.entry_title}"

    def save(self, *args, **kwargs):
        if self.reference:
            return super().save(*args, **kwargs)
        # The reference holds the row's id, which exists once it is inserted.
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.reference = make_reference(self.received_at, self.pk)
            type(self).objects.filter(pk=self.pk).update(reference=self.reference)
        return None

    @property
    def has_personal_data(self):
        return self.personal_data_removed_at is None


def make_reference(received_at, number) -> str:
    """A reference a resident can read out on the phone: ``AR-2026-000123``."""
    year = (
        timezone.localtime(received_at).year if timezone.is_aware(received_at) else received_at.year
    )
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"
