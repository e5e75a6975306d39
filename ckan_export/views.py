"""The editors' view of the open-data export: state per entry and portal, retry, resync."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from wagtail_algoregister.models import AlgorithmPage

from .conf import portals
from .models import ExportRecord
from .tasks import sync_entry


def can_act(user):
    return user.is_superuser or user.has_perm("algoregister_ckan_export.change_exportrecord")


class ReportView(TemplateView):
    template_name = "ckan_export/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        configured = portals()
        state = self.request.GET.get("state", "")
        records = ExportRecord.objects.select_related("page").order_by("portal", "entry_title")
        if state in ExportRecord.State.values:
            records = records.filter(state=state)
        rows = []
        for record in records:
            portal = configured.get(record.portal)
            link = (
                f"{portal.url}/dataset/{record.dataset_name}"
                if portal and record.dataset_name and record.dataset_id
                else ""
            )
            rows.append({"record": record, "dataset_url": link, "configured": portal is not None})
        context.update(
            {
                "header_title": _("Open-data export"),
                "page_title": _("Open-data export"),
                "header_icon": "upload",
                "rows": rows,
                "portals": configured.values(),
                "states": [
                    (value, label, ExportRecord.objects.filter(state=value).count())
                    for value, label in ExportRecord.State.choices
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
        record = get_object_or_404(ExportRecord, pk=pk)
        if record.portal not in portals():
            messages.error(request, _("This portal is no longer configured."))
        else:
            ExportRecord.objects.filter(pk=pk).update(
                state=ExportRecord.State.PENDING, next_attempt_at=None
            )
            sync_entry.enqueue(record.portal, str(record.entry_key))
            messages.success(
                request,
                _("“%(title)s” will be sent again shortly.") % {"title": record.entry_title},
            )
        return redirect("ckan_export:report")


class ResyncView(View):
    def post(self, request):
        if not can_act(request.user):
            raise PermissionDenied
        keys = set(AlgorithmPage.objects.live().values_list("translation_key", flat=True))
        keys.update(ExportRecord.objects.values_list("entry_key", flat=True))
        for name in portals():
            for key in keys:
                sync_entry.enqueue(name, str(key))
        messages.success(
            request,
            _("All %(count)s entries will be checked against the portals shortly.")
            % {"count": len(keys)},
        )
        return redirect("ckan_export:report")
