"""The editors' view of the national register upload: state per entry, link, retry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from wagtail_algoregister.models import AlgorithmPage

from .conf import get_config
from .models import NationalExportRecord
from .tasks import sync_entry


def can_act(user):
    return user.is_superuser or user.has_perm(
        "algoregister_national_export.change_nationalexportrecord"
    )


class ReportView(TemplateView):
    template_name = "national_export/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        config = get_config()
        state = self.request.GET.get("state", "")
        records = NationalExportRecord.objects.select_related("page").order_by("entry_title")
        if state in NationalExportRecord.State.values:
            records = records.filter(state=state)
        rows = []
        for record in records:
            link = ""
            if record.lars:
                # The entry's own property builds the national URL; a deleted entry's
                # record still has its code.
                link = AlgorithmPage(lars=record.lars).national_register_url
            rows.append({"record": record, "national_url": link})
        context.update(
            {
                "header_title": _("National register"),
                "page_title": _("National register"),
                "header_icon": "upload",
                "rows": rows,
                # Only what editors need: never the account, the password or a token.
                "configured": config is not None,
                "api_url": config.url if config else "",
                "releases": bool(config and config.release),
                "states": [
                    (value, label, NationalExportRecord.objects.filter(state=value).count())
                    for value, label in NationalExportRecord.State.choices
                ],
                "current_state": state,
                "can_act": can_act(self.request.user),
            }
        )
        return context


class RetryView(View):
    def post(self, request, pk):
        if not can_act(request.user):
            raise PermissionDenied
        record = get_object_or_404(NationalExportRecord, pk=pk)
        if get_config() is None:
            messages.error(request, _("The national register is not configured."))
        else:
            NationalExportRecord.objects.filter(pk=pk).update(
                state=NationalExportRecord.State.PENDING, next_attempt_at=None
            )
            sync_entry.enqueue(str(record.entry_key))
            messages.success(
                request,
                _("“%(title)s” will be sent again shortly.") % {"title": record.entry_title},
            )
        return redirect("national_export:report")
