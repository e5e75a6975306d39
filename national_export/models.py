"""What we know about each entry in the national register."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.sync.records import SyncRecord


class NationalExportRecord(SyncRecord):
    """One entry in the national register: its LARS code and the last sync's outcome.

    Kept after the entry's page is deleted (``page`` becomes null) so that the
    algorithm can still be retracted, and updated again if the entry comes back.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SYNCED = "synced", _("In sync")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Retracted from the national register")

    entry_key = models.UUIDField(
        _("entry id"), unique=True, help_text=_("The entry's stable id (its translation key).")
    )
    page = models.ForeignKey(
        "wagtail_algoregister.AlgorithmPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="national_exports",
        verbose_name=_("entry"),
    )
    organisation_id = models.CharField(_("organisation id"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    lars = models.CharField(_("national register ID"), max_length=8, blank=True, db_index=True)
    # Set just before a create is sent: when its answer is lost, the next attempt
    # looks the algorithm up by source_id instead of creating a second one.
    create_sent_at = models.DateTimeField(null=True, blank=True)
    released_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )

    class Meta:
        verbose_name = _("national register export")
        verbose_name_plural = _("national register exports")
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.entry_title or self.entry_key} → {self.lars or '?'}"
