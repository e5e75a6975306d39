"""The sitemap (sitemap.xml): Wagtail's, with the site's pages in every language."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class SiteSitemap(Sitemap):
    """Every live, public page of the site, Dutch and English, with its last change.

    Wagtail's own sitemap lists the pages under the site's root page; the English
    pages hang under the English home page, a translation of that root.
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        under_a_home = Q()
        for home in homes:
            under_a_home |= Q(path__startswith=home.path)
        return (
            Page.objects.live()
            .public()
            .filter(under_a_home)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
