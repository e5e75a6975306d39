"""The editors' view of the open-data export: state per entry and portal, retry, resync."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_algoregister.sync.report import SyncReportView, SyncResendAllView, SyncRetryView

from .conf import portals
from .models import ExportRecord
from .tasks import sync_entry


PERMISSION = "algoregister_ckan_export.change_exportrecord"


class ReportView(SyncReportView):
    template_name = "ckan_export/report.html"
    model = ExportRecord
    permission = PERMISSION
    title = gettext_lazy("Open-data export")
    retry_url_name = "ckan_export:retry"
    resend_url_name = "ckan_export:resync"
    message_label = gettext_lazy("Message from the portal")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.portals = portals()

    def configured(self):
        return bool(self.portals)

    def records(self):
        return super().records().order_by("portal", "entry_title")

    def columns(self):
        return [_("Portal"), _("Dataset")]

    def row(self, record):
        portal = self.portals.get(record.portal)
        link = (
            f"{portal.url}/dataset/{record.dataset_name}"
            if portal and record.dataset_name and record.dataset_id
            else ""
        )
        return {
            "cells": [(record.portal, ""), (record.dataset_name if link else "", link)],
            "can_retry": portal is not None,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "portals": self.portals.values()}


class RetryView(SyncRetryView):
    model = ExportRecord
    permission = PERMISSION
    report_url_name = "ckan_export:report"

    def not_configured(self, record):
        if record.portal not in portals():
            return _("This portal is no longer configured.")
        return ""

    def enqueue(self, record):
        sync_entry.enqueue(record.portal, str(record.entry_key))


class ResyncView(SyncResendAllView):
    model = ExportRecord
    permission = PERMISSION
    report_url_name = "ckan_export:report"
    message = gettext_lazy("All %(count)s entries will be checked against the portals shortly.")

    def enqueue(self, entry_key):
        for name in portals():
            sync_entry.enqueue(name, entry_key)
