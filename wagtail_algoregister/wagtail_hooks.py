from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_algoregister.admin.feedback import FeedbackViewSet
from wagtail_algoregister.admin.glossary import GlossaryTermViewSet
from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return FeedbackViewSet("algoregister_feedback")


register_snippet(GlossaryTermViewSet)
