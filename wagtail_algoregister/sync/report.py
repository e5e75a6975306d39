"""The editors' report of an exporter (Reports menu): each entry's record, filtered by
state, with a "Send again" button; ``ckan_export`` and ``national_export`` subclass
these views and add their own columns and introduction."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from wagtail_algoregister.models import AlgorithmPage


class SyncReportView(TemplateView):
    template_name = "wagtail_algoregister/admin/sync_report.html"
    model = None  # the record model (a SyncRecord)
    permission = ""  # what an editor needs to act: retry, resend
    title = ""
    retry_url_name = ""
    resend_url_name = ""  # "Check and resend all"
    message_label = ""  # header of the column with the last error

    def configured(self) -> bool:
        """Whether the exporter has somewhere to send to (its settings)."""
        return True

    def can_act(self):
        return _may_act(self.request.user, self.permission)

    def columns(self) -> list[str]:
        """Headers of the exporter's own columns (after "Last sent")."""
        return []

    def row(self, record) -> dict:
        """``cells``: (text, link) per own column; ``can_retry``: show "Send again"."""
        return {"cells": [], "can_retry": True}

    def records(self):
        return self.model.objects.select_related("page").order_by("entry_title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        states = self.model.State
        state = self.request.GET.get("state", "")
        records = self.records()
        if state in states.values:
            records = records.filter(state=state)
        columns = self.columns()
        can_act = self.can_act()
        by_state = self.model.objects.values("state").annotate(n=Count("pk"))
        counts = {row["state"]: row["n"] for row in by_state}
        context.update(
            {
                "header_title": self.title,
                "page_title": self.title,
                "header_icon": "upload",
                "rows": [{"record": record, **self.row(record)} for record in records],
                "columns": columns,
                # Algorithm, state, last sent, own columns, message, and the button.
                "column_count": 4 + len(columns) + can_act,
                "message_label": self.message_label,
                "retry_url_name": self.retry_url_name,
                "resend_url_name": self.resend_url_name,
                "configured": self.configured(),
                "states": [(value, label, counts.get(value, 0)) for value, label in states.choices],
                "current_state": state,
                "can_act": can_act,
            }
        )
        return context


def _may_act(user, permission):
    return user.is_superuser or user.has_perm(permission)


class SyncRetryView(View):
    """Send one entry again now: its record back to pending, a sync queued."""

    model = None
    permission = ""
    report_url_name = ""

    def not_configured(self, record) -> str:
        """Why this record cannot be sent (the exporter is not configured), or ""."""
        return ""

    def enqueue(self, record):
        raise NotImplementedError

    def post(self, request, pk):
        if not _may_act(request.user, self.permission):
            raise PermissionDenied
        record = get_object_or_404(self.model, pk=pk)
        problem = self.not_configured(record)
        if problem:
            messages.error(request, problem)
        else:
            self.model.objects.filter(pk=pk).update(
                state=self.model.State.PENDING, next_attempt_at=None
            )
            self.enqueue(record)
            messages.success(
                request,
                _("“%(title)s” will be sent again shortly.") % {"title": record.entry_title},
            )
        return redirect(self.report_url_name)


class SyncResendAllView(View):
    """Check every entry again: each published entry and each entry with a record (so
    that what was unpublished or deleted meanwhile is withdrawn); the sync sends only
    what changed."""

    model = None
    permission = ""
    report_url_name = ""
    message = ""  # with %(count)s: how many entries will be checked

    def not_configured(self) -> str:
        """Why nothing can be sent (the exporter is not configured), or ""."""
        return ""

    def enqueue(self, entry_key: str):
        raise NotImplementedError

    def post(self, request):

        if not _may_act(request.user, self.permission):
            raise PermissionDenied
        problem = self.not_configured()
        if problem:
            messages.error(request, problem)
            return redirect(self.report_url_name)
        keys = set(AlgorithmPage.objects.live().values_list("translation_key", flat=True))
        keys.update(self.model.objects.values_list("entry_key", flat=True))
        for key in keys:
            self.enqueue(str(key))
        messages.success(request, self.message % {"count": len(keys)})
        return redirect(self.report_url_name)
