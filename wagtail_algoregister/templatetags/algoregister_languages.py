"""Template helpers for languages: the language switch, the language of a page's text,
and the notice on a translated register about entries not translated yet.

``{% load algoregister_languages %}``.
"""

from dataclasses import dataclass

from django import template
from django.conf import global_settings, settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.db.models import Subquery
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site


register = template.Library()


def site_languages():
    """The languages the site offers its visitors: ``[(code, name), ...]``.

    Django's default ``LANGUAGES`` lists every language Django knows (about 95); a
    site that did not choose its own is taken to offer one language, and gets no switch.
    """
    if list(settings.LANGUAGES) != list(global_settings.LANGUAGES):
        return list(settings.LANGUAGES)
    return list(getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or [])


def _is_current(code, current):
    """Whether ``code`` (of LANGUAGES) is the active language ``current`` ("en-us" is "en")."""
    if not current:
        return False
    try:
        return translation.get_supported_language_variant(current) == code or current == code
    except LookupError:
        return current == code


@dataclass
class LanguageVersion:
    """One entry of the language switch: where this page is in another language."""

    code: str
    name: str
    url: str
    is_current: bool
    # False when the link goes to the nearest translated parent page instead, because
    # this page itself has no published version in that language.
    is_same_page: bool = True
    # The title of the page the link goes to, said next to the link when it is not this page.
    target_title: str = ""


def _page_in(page, locale, site_root_depth):
    """``page`` or its nearest ancestor with a live, public version in ``locale``.

    One query: the translations of the page and its ancestors, deepest first.
    Returns (that page or None, whether it is a version of ``page`` itself).
    """

    keys = Page.objects.ancestor_of(page, inclusive=True).filter(depth__gte=site_root_depth)
    target = (
        Page.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=Subquery(keys.values("translation_key")))
        .order_by("-depth")
        .first()
    )
    if target is None:
        return None, False
    return target, target.translation_key == page.translation_key


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The language switch's links, or ``None`` when the site does not use URL prefixes.

    With ``i18n_patterns`` (Wagtail's localisation) every language has its own URLs,
    so the switch is a list of plain links (no JavaScript, no form): to this page's
    published translation; else to its nearest translated parent page (an English
    reader of an untranslated entry lands on the English register, and the switch
    says so); else, when the site has no pages in that language at all, to the same
    path in that language (Wagtail then serves the default language's page with the
    interface translated). Without URL prefixes see :func:`language_form`.
    """

    request = context.get("request")
    languages = site_languages()
    if (
        request is None
        or len(languages) < 2
        or not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
    ):
        return None
    current = translation.get_language()
    page = context.get("page")
    if not isinstance(page, Page) or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        page = None
    path = request.get_full_path()
    site = Site.find_for_request(request) if page is not None else None
    versions = []
    locales = {locale.language_code: locale for locale in Locale.objects.all()} if page else {}
    for code, name in languages:
        url, same, title = "", True, ""
        if _is_current(code, current):
            url = path
        elif page is not None:
            locale = locales.get(code)
            if locale is not None and locale.pk == page.locale_id:
                url = page.get_url(request)
            elif locale is not None:
                target, same = _page_in(page, locale, site.root_page.depth if site else 2)
                if target is not None:
                    url, title = target.get_url(request), target.title
                    if same and request.GET:
                        url = f"{url}?{request.GET.urlencode()}"
        if not url:
            url, same = translate_url(path, code), True
        versions.append(
            LanguageVersion(
                code, name, url, _is_current(code, current), same, "" if same else title
            )
        )
    return versions


@dataclass
class LanguageForm:
    """Django's ``set_language`` form, for sites without language prefixes in their URLs."""

    action: str
    languages: list  # [(code, name, selected)]


@register.simple_tag
def language_form():
    """The ``set_language`` form's action and options, or ``None`` when it cannot work.

    It needs ``django.conf.urls.i18n`` in the site's URLs and more than one language
    chosen by the site; otherwise there is no switch (rather than an error page).
    """
    languages = site_languages()
    if len(languages) < 2:
        return None
    try:
        action = reverse("set_language")
    except NoReverseMatch:
        return None
    current = translation.get_language()
    return LanguageForm(
        action, [(code, name, _is_current(code, current)) for code, name in languages]
    )


@register.simple_tag
def content_language(page):
    """The language the page's own text is written in (its locale), or ``""``.

    Wagtail serves the default language's page when a site has no pages in the
    requested language; the interface is then translated but the text is not, and
    screen readers must know (WCAG 3.1.2, language of parts).
    """
    locale_id = getattr(page, "locale_id", None)
    if not locale_id:
        return ""

    return Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first() or ""


@dataclass
class TranslationGap:
    """Entries of the default language's register that this register's language lacks."""

    missing: int
    register_url: str
    language: str


@register.simple_tag(takes_context=True)
def translation_gap(context, register_page):
    """How many published entries exist only in the default language, or ``None``.

    Shown on a translated register (e.g. the English one), so a reader knows the
    complete register is the Dutch one, and where to find it.
    """

    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:
        # LANGUAGE_CODE names a language no locale has yet (a site that turned on
        # localisation after its pages existed): nothing to compare with. The system
        # check wagtail_algoregister.W020 tells the developer how to fix it.
        return None
    if register_page.locale_id == default.pk:
        return None
    source = (
        type(register_page)
        .objects.live()
        .public()
        .filter(translation_key=register_page.translation_key, locale=default)
        .first()
    )
    if source is None:
        return None
    here = register_page.get_children().live().public().values("translation_key")
    missing = (
        source.get_children().live().public().exclude(translation_key__in=Subquery(here)).count()
    )
    if not missing:
        return None
    return TranslationGap(missing, source.get_url(context.get("request")), default.language_code)
