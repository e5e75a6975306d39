from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")


@hooks.register("insert_editor_js")
def editor_js():
    # The live count of fields with a limit (admin.forms.count_attrs).
    return format_html('<script src="{}"></script>', static("wagtail_algoregister/js/count.js"))


@hooks.register("insert_editor_css")
def editor_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("wagtail_algoregister/css/admin.css")
    )
