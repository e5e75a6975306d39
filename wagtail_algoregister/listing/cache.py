"""The register's version stamp, under which its listing and catalogue numbers are cached."""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection
from wagtail.models import PageLogEntry, PageViewRestriction


CACHE_TIMEOUT = 60 * 60  # seconds; the version stamp invalidates earlier
SEARCH_CACHE_TIMEOUT = 60  # seconds: the search index follows publishing in the background


def version_stamp(register):
    """A value that changes whenever the register's published, public entries may change.

    Wagtail writes a page history entry (``PageLogEntry``) when it publishes (also on
    schedule), unpublishes (also on expiry), moves, deletes, copies or converts an
    alias, and when an editor changes a view restriction; the register's ``numchild``
    changes when entries are added, moved away or deleted in any other way, and the
    count of view restrictions when one is made or removed in code; the filters'
    explanations follow the words explained (their newest change and their number).
    One query on small or indexed tables, however many entries there are. (Live content changed by
    ``save()`` alone, without a revision, bypasses Wagtail's history: the cache keeps
    such a change hidden until the next history entry or :data:`CACHE_TIMEOUT`.)
    """
    name = connection.ops.quote_name
    history = name(PageLogEntry._meta.db_table)
    restrictions = name(PageViewRestriction._meta.db_table)
    # From the app registry: the listing sits below the models, which use it.
    glossary = name(apps.get_model("wagtail_algoregister", "GlossaryTerm")._meta.db_table)
    # Quoted table names of the models, no input:
    sql = (
        f"SELECT (SELECT MAX(id) FROM {history}), (SELECT MAX(timestamp) FROM {history}), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {restrictions}), (SELECT MAX(id) FROM {restrictions}), "
        f"(SELECT MAX(updated_at) FROM {glossary}), (SELECT COUNT(*) FROM {glossary})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return f"{register.pk}.{register.path}.{register.numchild}.{register.live}." + ".".join(
        str(value) for value in values
    )


def cache_key(stamp, params):
    what = repr((params.query, sorted(params.active.items()), params.effective_sort))
    digest = hashlib.sha256(f"{stamp}|{what}".encode()).hexdigest()[:40]
    return f"wagtail_algoregister:listing:{digest}"
