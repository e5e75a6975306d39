from django.contrib.auth.models import Permission
from wagtail import hooks

from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet
from wagtail_algoregister.sync.report import SyncReportViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")


@hooks.register("register_admin_viewset")
def register_sync_report_viewset():
    return SyncReportViewSet()


@hooks.register("register_permissions")
def register_sync_permissions():
    # "Send again" and "Check and resend all" in the exports report, per group.
    return Permission.objects.filter(
        content_type__app_label="wagtail_algoregister", codename="change_syncrecord"
    )
