"""The editors' view of the national register upload: state per entry, link, retry."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.sync.report import SyncReportView, SyncResendAllView, SyncRetryView

from .conf import get_config
from .models import NationalExportRecord
from .tasks import sync_entry


PERMISSION = "algoregister_national_export.change_nationalexportrecord"


class ReportView(SyncReportView):
    template_name = "national_export/report.html"
    model = NationalExportRecord
    permission = PERMISSION
    title = gettext_lazy("National register")
    retry_url_name = "national_export:retry"
    resend_url_name = "national_export:resync"
    message_label = gettext_lazy("Message from the national register")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.config = get_config()

    def configured(self):
        return self.config is not None

    def columns(self):
        return [_("National register ID")]

    def row(self, record):
        # The entry's own property builds the national URL; a deleted entry's record
        # still has its code.
        link = AlgorithmPage(lars=record.lars).national_register_url if record.lars else ""
        return {
            "cells": [(record.lars if link else "", link)],
            "can_retry": self.config is not None,
        }

    def get_context_data(self, **kwargs):
        config = self.config
        return {
            **super().get_context_data(**kwargs),
            # Only what editors need: never the account, the password or a token.
            "api_url": config.url if config else "",
            "releases": bool(config and config.release),
        }


class RetryView(SyncRetryView):
    model = NationalExportRecord
    permission = PERMISSION
    report_url_name = "national_export:report"

    def not_configured(self, record):
        return "" if get_config() is not None else _("The national register is not configured.")

    def enqueue(self, record):
        sync_entry.enqueue(str(record.entry_key))


class ResyncView(SyncResendAllView):
    model = NationalExportRecord
    permission = PERMISSION
    report_url_name = "national_export:report"
    message = gettext_lazy(
        "All %(count)s entries will be checked against the national register shortly."
    )

    def not_configured(self):
        return "" if get_config() is not None else _("The national register is not configured.")

    def enqueue(self, entry_key):
        sync_entry.enqueue(entry_key)
