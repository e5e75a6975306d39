"""The fields every exporter's record of an entry has (``ckan_export``'s
``ExportRecord``, ``national_export``'s ``NationalExportRecord``): the last sync's
outcome, its attempts and the next one, what was sent. Each app adds where the entry
went (portal and dataset, or national ID), its ``page`` link and its ``state``: the
same four values, pending, synced, failed and withdrawn, whose labels say where from.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncRecord(models.Model):
    entry_title = models.CharField(_("entry title"), max_length=255, blank=True)
    payload_hash = models.CharField(max_length=64, blank=True)
    # What the payload was built from (publication times, mapping version, settings):
    # when unchanged, nothing needs to be built or sent.
    source_fingerprint = models.CharField(max_length=64, blank=True)
    last_action = models.CharField(_("last action"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
