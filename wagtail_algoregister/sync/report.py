"""The editors' report of every exporter (Reports → Exports), on Wagtail's ``ReportView``:
each entry's record per exporter, paged, filtered by exporter and state, with "Send
again" per entry and "Check and resend all". Anyone with access to the admin sees it;
acting needs the ``change`` permission on export records (Wagtail's permission policy,
granted per group under Settings → Groups).
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.db.models import Count
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_algoregister.models import AlgorithmPage, SyncRecord

from .engine import MAX_ATTEMPTS
from .registry import InvalidExporter, exporter_names, get_exporter
from .tasks import enqueue


permission_policy = ModelPermissionPolicy(SyncRecord)
URL_NAMESPACE = "algoregister_exports"


def may_act(user) -> bool:
    return permission_policy.user_has_permission(user, "change")


def configured_exporters() -> dict:
    """{name: exporter} of the configured exporters that can be loaded."""
    exporters = {}
    for name in exporter_names():
        try:
            exporters[name] = get_exporter(name)
        except InvalidExporter:
            continue  # the system checks report it
    return exporters


class SyncRecordFilterSet(WagtailFilterSet):
    exporter = django_filters.ChoiceFilter(label=gettext_lazy("Export"), empty_label=None)
    state = django_filters.ChoiceFilter(label=gettext_lazy("State"), empty_label=None)

    class Meta:
        model = SyncRecord
        fields = ["exporter", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(
            set(exporter_names()) | set(SyncRecord.objects.values_list("exporter", flat=True))
        )
        all_ = [("", _("All"))]
        self.filters["exporter"].extra["choices"] = all_ + [(name, name) for name in names]
        # Each state with its number of records (of the chosen export), also when none.
        records = SyncRecord.objects.all()
        chosen = (self.data or {}).get("exporter")
        if chosen:
            records = records.filter(exporter=chosen)
        counts = dict(records.order_by().values_list("state").annotate(n=Count("pk")))
        self.filters["state"].extra["choices"] = all_ + [
            (value, f"{label} ({counts.get(value, 0)})")
            for value, label in SyncRecord.State.choices
        ]


class TemplateColumn(Column):
    """A column whose cell is a template of ours: it gets the row's record (decorated by
    the view: ``can_retry``, its link at the target) and the CSRF token for its form."""

    def __init__(self, name, template, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context.get("request")
        context.update(
            {
                "record": instance,
                # The table's context is not the view's: the row carries what the view decided.
                "csrf_token": get_token(request) if request else "",
                "max_attempts": MAX_ATTEMPTS,
                "url_namespace": URL_NAMESPACE,
            }
        )
        return context


def cell(name):
    return f"wagtail_algoregister/admin/sync_report/{name}_cell.html"


class SyncReportView(ReportView):
    template_name = "wagtail_algoregister/admin/sync_report.html"
    page_title = gettext_lazy("Exports")
    header_icon = "upload"
    filterset_class = SyncRecordFilterSet
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:index_results"
    permission_policy = permission_policy  # viewing: any admin user; acting: "change"
    default_ordering = ("exporter", "entry_title", "pk")
    verbose_name_plural = gettext_lazy("export records")
    columns = [
        TemplateColumn(
            "entry",
            cell("entry"),
            label=gettext_lazy("Algorithm"),
            sort_key="entry_title",
            width="22%",
        ),
        Column("exporter", label=gettext_lazy("Export"), sort_key="exporter", width="10%"),
        TemplateColumn(
            "state", cell("state"), label=gettext_lazy("State"), sort_key="state", width="16%"
        ),
        DateColumn(
            "last_synced_at",
            label=gettext_lazy("Last sent"),
            sort_key="last_synced_at",
            width="11%",
        ),
        TemplateColumn("remote", cell("remote"), label=gettext_lazy("Where"), width="13%"),
        Column("last_error", label=gettext_lazy("Message from the target"), width="18%"),
        TemplateColumn("actions", cell("actions"), label=gettext_lazy("Actions"), width="10%"),
    ]

    def get_queryset(self):
        self.queryset = SyncRecord.objects.all()
        return super().get_queryset()

    @cached_property
    def exporters(self):
        return configured_exporters()

    @cached_property
    def can_act(self):
        return may_act(self.request.user)

    def decorate_paginated_queryset(self, records):
        for record in records:
            exporter = self.exporters.get(record.exporter)
            record.can_retry = self.can_act and exporter is not None
            record.state_label = (
                exporter.state_label(record.state) if exporter else record.get_state_display()
            )
            link = exporter.remote_link(record) if exporter else None
            record.remote_text, record.remote_url = link or ("", "")
        return records

    @cached_property
    def header_buttons(self):
        if not (self.can_act and self.exporters):
            return []
        url = reverse(f"{URL_NAMESPACE}:resend_all")
        chosen = self.request.GET.get("exporter")
        if chosen in self.exporters:
            url += f"?exporter={chosen}"
        return [HeaderButton(_("Check and resend all"), url=url, icon_name="resubmit")]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["exporters"] = self.exporters.values()
        context["can_act"] = self.can_act
        return context


class RetryView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Send one entry again now: a new retry chain (see :mod:`.tasks`)."""

    permission_policy = permission_policy
    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        record = get_object_or_404(SyncRecord, pk=pk)
        if record.exporter not in exporter_names():
            messages.error(request, _("This export is no longer configured."))
        else:
            SyncRecord.objects.filter(pk=pk).update(
                state=SyncRecord.State.PENDING, next_attempt_at=None
            )
            enqueue(record.exporter, record.entry_key)
            messages.success(
                request,
                _("“%(title)s” will be sent again shortly.") % {"title": record.entry_title},
            )
        return redirect(f"{URL_NAMESPACE}:index")


class ResendAllView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Check every entry again at one exporter or all: each published entry and each
    entry with a record (so that what was unpublished or deleted meanwhile is
    withdrawn); the sync sends only what changed."""

    permission_policy = permission_policy
    permission_required = "change"
    template_name = "wagtail_algoregister/admin/sync_resend_all.html"
    page_title = gettext_lazy("Check and resend all")
    header_icon = "resubmit"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": SyncReportView.page_title},
            {"url": "", "label": self.page_title},
        ]

    def names(self):
        chosen = self.request.GET.get("exporter") or self.request.POST.get("exporter")
        names = exporter_names()
        return [chosen] if chosen in names else names

    def keys(self, names):
        default = Locale.get_default()
        keys = set(
            AlgorithmPage.objects.live()
            .filter(locale=default)
            .values_list("translation_key", flat=True)
        )
        keys.update(
            SyncRecord.objects.filter(exporter__in=names).values_list("entry_key", flat=True)
        )
        return keys

    def get_context_data(self, **kwargs):
        names = self.names()
        return {
            **super().get_context_data(**kwargs),
            "names": names,
            "count": len(self.keys(names)) if names else 0,
            "chosen": self.request.GET.get("exporter", ""),
        }

    def post(self, request):
        names = self.names()
        if not names:
            messages.error(request, _("No exports are configured."))
            return redirect(f"{URL_NAMESPACE}:index")
        keys = self.keys(names)
        for key in keys:
            for name in names:
                enqueue(name, key)
        messages.success(
            request,
            _("All %(count)s entries will be checked against %(targets)s shortly.")
            % {"count": len(keys), "targets": ", ".join(names)},
        )
        return redirect(f"{URL_NAMESPACE}:index")


class SyncReportViewSet(ViewSet):
    """The report, its results (for Wagtail's filters) and its two actions."""

    name = URL_NAMESPACE
    url_prefix = "exports"
    icon = "upload"
    menu_label = gettext_lazy("Exports")
    menu_order = 900
    menu_hook = "register_reports_menu_item"

    def get_urlpatterns(self):
        return [
            path("", SyncReportView.as_view(), name="index"),
            path("results/", SyncReportView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/send-again/", RetryView.as_view(), name="retry"),
            path("resend-all/", ResendAllView.as_view(), name="resend_all"),
        ]
