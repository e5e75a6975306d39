from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from wagtail_algoregister.admin.dashboard import RegistersPanel
from wagtail_algoregister.admin.feedback import FeedbackViewSet
from wagtail_algoregister.admin.glossary import GlossaryTermViewSet
from wagtail_algoregister.admin.imports.permissions import may_import
from wagtail_algoregister.admin.imports.views import ImportViewSet
from wagtail_algoregister.admin.quality import QualityReportView
from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.sync.report import SyncReportViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return FeedbackViewSet("algoregister_feedback")


register_snippet(GlossaryTermViewSet)


@hooks.register("register_admin_viewset")
def register_sync_report_viewset():
    return SyncReportViewSet()


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportViewSet()


@hooks.register("register_permissions")
def register_sync_permissions():
    # "Send again" and "Check and resend all" in the exports report, per group; and
    # importing in the admin ("Imports of algorithms: Add").
    return Permission.objects.filter(
        content_type__app_label="wagtail_algoregister",
        codename__in=("change_syncrecord", "add_importjob"),
    )


@hooks.register("register_page_header_buttons")
def register_import_button(page, user, view_name, next_url=None):
    # On a register's pages: "Import and download" with that register chosen.
    if issubclass(page.specific_class or Page, AlgorithmRegisterPage) and may_import(user):
        yield Button(
            _("Import and download"),
            url=reverse("algoregister_import:index") + f"?register={page.pk}",
            icon_name="upload",
            priority=80,
        )


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


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_incomplete_drafts(request, action_type, objects, action_class):
    """Bulk publishing skips the edit form; an incomplete draft would stop it with an error
    page (the page's full clean refuses to make it live). Say which ones, before anything."""
    if action_type != "publish":
        return None
    incomplete = []
    for page in objects:
        specific = getattr(page, "specific", page)
        if not isinstance(specific, AlgorithmPage):
            continue
        try:
            specific.get_latest_revision_as_object().full_clean()
        except ValidationError:
            incomplete.append(specific.get_admin_display_title())
    if not incomplete:
        return None
    messages.error(
        request,
        ngettext(
            "Nothing was published: %(titles)s is not complete yet. Open it and publish it from its edit page, which names what is missing.",
            "Nothing was published: %(titles)s are not complete yet. Open them and publish each from its edit page, which names what is missing.",
            len(incomplete),
        )
        % {"titles": ", ".join(f"“{title}”" for title in incomplete)},
    )
    return redirect(action_class.next_url)
