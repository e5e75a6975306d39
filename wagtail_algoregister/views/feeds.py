"""An Atom feed of new and changed entries of a register (``feed.atom``).

The newest publications first (``last_published_at``), at most :data:`FEED_SIZE`;
only published, public entries, in their live version. Each entry's Atom id is the
entry's stable identifier URI, so a feed reader sees a change as an update of the
same entry, also after a rename or a move.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from wagtail_algoregister.formats import dcat
from wagtail_algoregister.models import identifier_uri
from wagtail_algoregister.standard.text import remove_control_characters as xml_text
from wagtail_algoregister.standard.validation import strip_html
from wagtail_algoregister.views.catalog import RETRY_AFTER, finish


logger = logging.getLogger(__name__)

FEED_SIZE = 50

TEXTS = {
    "nl": "Nieuwe en gewijzigde algoritmes in het algoritmeregister van {organisation}.",
    "en": "New and changed algorithms in the algorithm register of {organisation}.",
}


def register_feed(request, register):
    try:
        body, modified = build_feed(register, request)
    except Exception:
        logger.exception("Atom feed of register %s failed", register.pk)
        return HttpResponse(
            "The feed is temporarily unavailable.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
        )
    response = HttpResponse(body, content_type=Atom1Feed.content_type)
    return finish(request, response, modified)


def build_feed(register, request=None):
    """The feed document (bytes) and the time of its newest entry (or the register's)."""
    register_url = register.full_url or ""
    language = register.locale.language_code if register.locale_id else "nl"
    # Text saved since the gate (models.cleaning) holds no character XML refuses; rows
    # stored before it may: one of them must not take the whole feed down.
    organisation = xml_text(register.organisation_name or register.title)
    feed_url = f"{register_url}feed.atom"
    entries = list(
        dcat.public_entries(register)
        .defer_streamfields()
        .order_by("-last_published_at", "-pk")[:FEED_SIZE]
    )
    feed = Atom1Feed(
        title=xml_text(register.title),
        link=register_url,
        description=TEXTS["en" if language.startswith("en") else "nl"].format(
            organisation=organisation
        ),
        language=language,
        feed_url=feed_url,
        feed_guid=feed_url,
        author_name=organisation,
        author_link=register_url,
    )
    for entry in entries:
        # The request keeps Wagtail's site root paths; the identifier is built from the
        # register's URL: no query per entry for its parent or its site.
        url = entry.get_full_url(request)
        summary = " ".join(strip_html(entry.description_short or "").split())
        feed.add_item(
            title=xml_text(entry.title),
            link=url,
            # Atom's summary is sent as HTML: escape the plain text so it stays text.
            description=escape(xml_text(summary)),
            unique_id=identifier_uri(register_url, entry.translation_key),
            unique_id_is_permalink=False,
            pubdate=entry.first_published_at,
            updateddate=entry.last_published_at,
            categories=[xml_text(category) for category in entry.category or []],
        )
    times = [entry.last_published_at for entry in entries[:1]] + [register.last_published_at]
    modified = max((t for t in times if t is not None), default=None)
    return feed.writeString("utf-8").encode("utf-8"), modified
