"""A panel on the admin's home page: the registers at a glance, each number a link to
the filtered listing or report where the work is."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.quality.linkcheck import BROKEN
from wagtail_algoregister.quality.review import due_filter


class RegistersPanel(Component):
    name = "algoregister_registers"
    template_name = "wagtail_algoregister/admin/dashboard_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        editable = PagePermissionPolicy().instances_user_has_permission_for(
            self.request.user, "change"
        )
        entries = AlgorithmPage.objects.filter(pk__in=editable.values("pk"))
        status = standard.get("status")
        report = reverse("algoregister_quality:report")
        registers = []
        for register in AlgorithmRegisterPage.objects.filter(pk__in=editable.values("pk")).order_by(
            "title"
        ):
            own = entries.child_of(register)
            counts = dict(own.values_list("status").annotate(n=Count("pk")).order_by())
            explore = reverse("wagtailadmin_explore", args=(register.pk,))
            registers.append(
                {
                    "register": register,
                    "total": sum(counts.values()),
                    "explore": explore,
                    "statuses": [
                        {
                            "label": status.value_label(value),
                            "count": counts.get(value, 0),
                            "url": f"{explore}?{urlencode({'status': value})}",
                        }
                        for value in status.permitted_values
                    ],
                }
            )
        moderation = WorkflowState.objects.active().filter(
            content_type=ContentType.objects.get_for_model(AlgorithmPage),
            object_id__in=[str(pk) for pk in entries.values_list("pk", flat=True)],
        )
        context.update(
            registers=registers,
            moderation=moderation.count(),
            moderation_url=reverse("wagtailadmin_reports:workflow"),
            reviews_due=entries.filter(due_filter()).count(),
            reviews_url=f"{report}?problem=review",
            broken_links=entries.filter(Q(link_checks__outcome__in=BROKEN)).distinct().count(),
            broken_url=f"{report}?problem=broken",
        )
        return context
