"""The example site's main menu: the home page's subpages marked "show in menus"."""

from django import template
from django.utils import translation
from wagtail.models import Page, Site


register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context):
    """``[{"title", "url", "current"}]`` in the active language.

    A page not translated into the active language is linked in the default language
    (Wagtail's ``Page.localized``), so the menu is the same in every language.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    language = translation.get_language()
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else None
    items = []
    for child in site.root_page.get_children().live().public().in_menu():
        page = child.localized
        url = page.get_url(request)
        if url:
            items.append(
                {
                    "title": page.title,
                    "url": url,
                    "current": current_path == page.path,
                    "section": bool(current_path and current_path.startswith(page.path)),
                    # An untranslated page's title is in its own language (WCAG 3.1.2).
                    "lang": ""
                    if page.locale.language_code == language
                    else page.locale.language_code,
                }
            )
    return items
