"""Finding a register page from the command line: by page id or by URL path."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from wagtail_algoregister.models import AlgorithmRegisterPage


def find_register(value: str):
    """The :class:`AlgorithmRegisterPage` with page id ``value`` or at URL path ``value``.

    A URL path is the page's path on its site (``/algoritmeregister/``) or Wagtail's
    full ``url_path`` (``/home/algoritmeregister/``); a full URL's path is used too.
    """

    value = (value or "").strip()
    registers = AlgorithmRegisterPage.objects.all()
    page = None
    if value.isdigit():
        page = registers.filter(pk=int(value)).first()
    else:
        path = urlsplit(value).path if "://" in value else value
        path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
        page = registers.filter(url_path=path).first()
        if page is None:
            for site in Site.objects.select_related("root_page"):
                root = site.root_page.url_path.rstrip("/")
                page = registers.filter(url_path=root + path).first()
                if page:
                    break
    if page is None:
        raise CommandError(
            _("No algorithm register with id or URL path “%(value)s”.") % {"value": value}
        )
    return page
