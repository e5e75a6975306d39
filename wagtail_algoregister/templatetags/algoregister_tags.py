"""Template helpers that present an entry by the standard's definitions."""

import datetime
import json
import re
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Subquery
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Locale, Page, Site

from wagtail_algoregister import standard
from wagtail_algoregister.standard.validation import (
    clean_html,
    is_email,
    is_web_address,
    is_year_month,
)


register = template.Library()


@dataclass
class Row:
    """One field of an entry, ready to show."""

    definition: standard.FieldDef
    value: object

    @property
    def key(self):
        return self.definition.key

    @property
    def label(self):
        return self.definition.label

    @property
    def is_empty(self):
        return self.value in (None, "", [], ())

    @property
    def kind(self):
        d = self.definition
        if d.is_grouping:
            return "links"
        if d.is_multiple_choice:
            return "list"
        if d.is_choice:
            return "choice"
        if d.is_rich_text:
            return "rich_text"
        return d.format or "text"

    @property
    def display(self):
        """The value as text or safe HTML; lists give lists of labels."""
        d, value = self.definition, self.value
        if self.is_empty:
            return ""
        if d.is_multiple_choice:
            return [d.value_label(v) for v in value]
        if d.is_choice:
            return d.value_label(value)
        if d.is_rich_text:
            # Stored HTML is already restricted to the standard's tags; cleaning
            # again on output keeps unsaved previews and old revisions just as safe.
            return mark_safe(clean_html(value, d.allowed_html_tags))  # noqa: S308
        if d.format == "year_month" and is_year_month(value):
            return date_format(datetime.date(int(value[:4]), int(value[5:]), 1), "F Y")
        return value

    @property
    def is_email(self):
        return self.kind == "email_or_url" and is_email(str(self.value).strip())


# A value becomes a link only as an absolute http(s) address: never ``javascript:``,
# ``data:`` or anything else a browser would run. Browsers ignore tabs and newlines in
# a URL and whitespace around it, so those are left out before the check.
_HTTP_URL = re.compile(r"https?://[^\s/?#]", re.I)


@register.filter
def http_url(value):
    """``value`` as an address to link to when it is an http(s) URL, else ``""`` (the
    template then shows the value as text)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not _HTTP_URL.match(re.sub(r"[\t\n\r]", "", value)):
        return ""
    # Several addresses on lines of their own, or words around one, stay text.
    return value if is_web_address(value) else ""


def rows_for(page, keys):
    return [Row(standard.get(key), page.standard_value(key)) for key in keys]


@register.simple_tag
def entry_sections(page):
    """The national detail page's three sections, with the rows to show in each.

    Fields marked "show always" appear even when empty (shown as "not filled in");
    other empty fields are left out.
    """
    result = []
    for section in standard.sections():
        rows = [
            row
            for row in rows_for(page, section.keys)
            if not row.is_empty or row.definition.show_always
        ]
        result.append({"key": section.key, "label": section.label, "rows": rows})
    return result


@register.simple_tag
def entry_metadata(page):
    """The keys the national detail page does not show (language, version, ids, tags)."""
    return [row for row in rows_for(page, standard.metadata_keys()) if not row.is_empty]


@register.simple_tag
def entry_row(page, key):
    return Row(standard.get(key), page.standard_value(key))


@register.simple_tag
def field_label(key):
    return standard.get(key).label


@register.filter
def value_label(value, key):
    return standard.get(key).value_label(value)


# -- navigation and metadata ---------------------------------------------------


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The page's ancestors within the current site, home first, the page itself last.

    Each item: ``{"title", "url", "current"}``. One query.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    ancestors = page.get_ancestors(inclusive=False).filter(depth__gt=1)
    if site is not None:
        root = site.root_page
        ancestors = ancestors.filter(depth__gte=root.depth, path__startswith=root.path)
    trail = [
        {"title": ancestor.title, "url": ancestor.get_url(request), "current": False}
        for ancestor in ancestors.order_by("depth")
    ]
    trail = [item for item in trail if item["url"]]
    trail.append({"title": page.title, "url": page.get_url(request), "current": True})
    return trail


@register.filter
def meta_description(page):
    """The page's search description, or a plain-text summary of at most 160 characters."""
    text = getattr(page, "search_description", "") or getattr(page, "description_short", "")
    if not text:
        text = strip_tags(getattr(page, "intro", "") or "")
    return Truncator(" ".join(str(text).split())).chars(160)


def _absolute(request, url):
    if not url or "://" in url or request is None:
        return url
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def entry_structured_data(context, page):
    """schema.org JSON-LD for an entry: the algorithm as a ``SoftwareApplication``.

    The entry page describes a system the organisation uses, so the thing is a
    SoftwareApplication (name, description, themes as applicationCategory, status
    as creativeWorkStatus, the organisation as publisher). The machine-readable
    *record* is described separately, as a dcat:Dataset in the register's DCAT
    catalogue; a schema.org Dataset here would describe the same record twice.
    """
    request = context.get("request")
    url = _absolute(request, page.get_url(request)) or ""
    status = standard.get("status")
    category = standard.get("category")
    application = {
        "@type": "SoftwareApplication",
        "@id": page.identifier_uri or f"{url}#algorithm",
        "name": page.title,
        "description": page.description_short,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": page.identifier_uri or url,
        "publisher": {"@type": "GovernmentOrganization", "name": page.organization},
    }
    if page.category:
        application["applicationCategory"] = [str(category.value_label(v)) for v in page.category]
    if page.status:
        application["creativeWorkStatus"] = str(status.value_label(page.status))
    if page.tags:
        application["keywords"] = page.tags
    if page.lang:
        application["inLanguage"] = {"nld": "nl", "eng": "en", "fry": "fy"}.get(
            page.lang, page.lang
        )
    if page.first_published_at:
        application["datePublished"] = page.first_published_at
    if page.last_published_at:
        application["dateModified"] = page.last_published_at
    same_as = getattr(page, "national_register_url", "")
    if same_as:
        application["sameAs"] = same_as
    trail = breadcrumbs(context, page)
    breadcrumb_list = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": item["title"],
                "item": _absolute(request, item["url"]),
            }
            for number, item in enumerate(trail, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [application, breadcrumb_list]}


# The escapes of django.utils.html.json_script: no "</script>" or "<!--" can end the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """``data`` as a ``<script type="application/ld+json">``, escaped like ``json_script``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


# -- languages ---------------------------------------------------------------------


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
    reader of an untranslated entry lands on the English register); else, when the
    site has no pages in that language at all, to the same path in that language
    (Wagtail then serves the default language's page with the interface translated).
    Without URL prefixes the template falls back to Django's ``set_language`` form.
    """

    request = context.get("request")
    if request is None or not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]:
        return None
    current = translation.get_language()
    page = context.get("page")
    if not isinstance(page, Page) or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        page = None
    path = request.get_full_path()
    site = Site.find_for_request(request) if page is not None else None
    versions = []
    locales = {locale.language_code: locale for locale in Locale.objects.all()} if page else {}
    for code, name in settings.LANGUAGES:
        url, same = "", True
        if code == current:
            url = path
        elif page is not None:
            locale = locales.get(code)
            if locale is not None and locale.pk == page.locale_id:
                url = page.get_url(request)
            elif locale is not None:
                target, same = _page_in(page, locale, site.root_page.depth if site else 2)
                if target is not None:
                    url = target.get_url(request)
                    if same and request.GET:
                        url = f"{url}?{request.GET.urlencode()}"
        if not url:
            url, same = translate_url(path, code), True
        versions.append(LanguageVersion(code, name, url, code == current, same))
    return versions


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
    default = Locale.get_default()
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
