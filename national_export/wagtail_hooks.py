from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", views.ReportView.as_view(), name="report"),
        path("<int:pk>/retry/", views.RetryView.as_view(), name="retry"),
        path("resync/", views.ResyncView.as_view(), name="resync"),
    ]
    return [
        path(
            "national-register-export/",
            include((urls, "national_export"), namespace="national_export"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        _("National register"), reverse("national_export:report"), icon_name="upload", order=910
    )
