"""What the site knows about each entry at each export target: one record per exporter
(a name in ``WAGTAIL_ALGOREGISTER["EXPORTERS"]``) and entry (its translation key).

The model lives here because Django discovers only the models that the app's ``models``
package imports; :mod:`wagtail_algoregister.sync` reads and writes it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncRecord(models.Model):
    """One entry at one target: where it went, what was sent, the last sync's outcome.

    Kept after the entry's page is deleted (``page`` becomes null) so that the remote
    copy can still be withdrawn, and found again if the entry comes back.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SYNCED = "synced", _("In sync")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    exporter = models.CharField(
        _("export"),
        max_length=100,
        help_text=_("The name of the export in the settings (WAGTAIL_ALGOREGISTER['EXPORTERS'])."),
    )
    entry_key = models.UUIDField(
        _("entry id"), help_text=_("The entry's stable id (its translation key).")
    )
    page = models.ForeignKey(
        "wagtail_algoregister.AlgorithmPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sync_records",
        verbose_name=_("entry"),
    )
    entry_title = models.CharField(_("entry title"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    # Where the entry went; each exporter says what they hold (a CKAN dataset's id, name
    # and identifier; the national register's ID and the entry's source_id).
    remote_id = models.CharField(_("remote id"), max_length=100, blank=True)
    remote_name = models.CharField(_("remote name"), max_length=200, blank=True)
    identifier = models.CharField(_("identifier"), max_length=500, blank=True)
    # The rest an exporter keeps (resource ids, versions, hashes of what was released).
    data = models.JSONField(_("exporter data"), default=dict, blank=True)
    payload_hash = models.CharField(max_length=64, blank=True)
    # What the payload was built from (publication times, place, mapping version,
    # settings): when unchanged, nothing needs to be built or sent.
    source_fingerprint = models.CharField(max_length=64, blank=True)
    last_action = models.CharField(_("last action"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Tries of the current retry chain (see wagtail_algoregister.sync.base).
    attempts = models.PositiveIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    # The queued retry of this chain: a newer chain replaces it, and a retry that is
    # not this one does nothing when it runs.
    retry_task_id = models.CharField(max_length=64, blank=True)
    last_synced_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        constraints = [
            models.UniqueConstraint(
                fields=["exporter", "entry_key"], name="algoregister_one_record_per_export"
            )
        ]
        indexes = [
            models.Index(fields=["exporter", "state"], name="algoregister_sync_state"),
            models.Index(fields=["exporter", "remote_id"], name="algoregister_sync_remote"),
        ]

    def __str__(self):
        return f"{self.entry_title or self.entry_key} → {self.exporter}"
