"""What we know about each entry's dataset on each portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.sync.records import SyncRecord


class ExportRecord(SyncRecord):
    """One entry on one portal: the dataset it maps to and the last sync's outcome.

    Kept after the entry's page is deleted (``page`` becomes null) so that the
    dataset can still be withdrawn, and restored if the entry comes back.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SYNCED = "synced", _("In sync")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Withdrawn from the portal")

    portal = models.CharField(_("portal"), max_length=100)
    entry_key = models.UUIDField(
        _("entry id"), help_text=_("The entry's stable id (its translation key).")
    )
    page = models.ForeignKey(
        "wagtail_algoregister.AlgorithmPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ckan_exports",
        verbose_name=_("entry"),
    )
    # Frozen when first sent: a dataset's name and identifier never change.
    dataset_name = models.CharField(_("dataset name"), max_length=100, blank=True)
    identifier = models.CharField(_("identifier"), max_length=500, blank=True)
    dataset_id = models.CharField(_("dataset id"), max_length=100, blank=True)
    resource_ids = models.JSONField(_("resource ids"), default=dict, blank=True)
    remote_modified = models.CharField(max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )

    class Meta:
        verbose_name = _("CKAN export")
        verbose_name_plural = _("CKAN exports")
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "entry_key"], name="ckan_export_one_record_per_entry"
            )
        ]
        indexes = [models.Index(fields=["portal", "state"])]

    def __str__(self):
        return f"{self.entry_title or self.entry_key} → {self.portal}"
