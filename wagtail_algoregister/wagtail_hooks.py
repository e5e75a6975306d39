from wagtail import hooks

from wagtail_algoregister.admin.viewsets import AlgorithmPageViewSet


@hooks.register("register_admin_viewset")
def register_algorithm_page_viewset():
    return AlgorithmPageViewSet("algorithm_pages")
