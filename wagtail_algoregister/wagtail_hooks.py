from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from wagtail_algoregister.admin.dashboard import RegistersPanel
from wagtail_algoregister.admin.quality import QualityReportView
from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")


@hooks.register("insert_editor_js")
def editor_js():
    # The live count of fields with a limit (admin.forms.count_attrs).
    return format_html('<script src="{}"></script>', static("wagtail_algoregister/js/count.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("wagtail_algoregister/css/admin.css")
    )


@hooks.register("register_admin_urls")
def register_quality_urls():
    urls = [
        path("", QualityReportView.as_view(), name="report"),
        path("results/", QualityReportView.as_view(results_only=True), name="report_results"),
    ]
    return [path("algorithm-quality/", include((urls, "algoregister_quality")))]


@hooks.register("register_reports_menu_item")
def register_quality_menu_item():
    return MenuItem(
        _("Quality of algorithms"),
        reverse("algoregister_quality:report"),
        icon_name="tasks",
        order=800,
    )


@hooks.register("construct_homepage_panels")
def add_registers_panel(request, panels):
    panels.append(RegistersPanel(request))
