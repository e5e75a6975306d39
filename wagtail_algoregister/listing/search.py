"""Full-text search of entries with Wagtail search, as conditions and as a ranking.

On PostgreSQL, Wagtail's database backend stems words (``SEARCH_CONFIG = "dutch"``):
"schuld" finds "schulden". SQLite's full-text index (FTS5) only matches whole words, so
there every word also matches as the beginning of a word, through Wagtail's own
partial-match search (``autocomplete``, on the entries' ``AutocompleteField``\\s: title,
summary, themes, keywords, department): "schuld" finds "schulden", "parkeer" finds
"parkeervergunning".
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower
from wagtail.search.backends import get_search_backend


MAX_SEARCH_WORDS = 20


def search_words(query):
    """The words of a search, without punctuation.

    Residents type what they type; quotes, brackets and operators would be query
    syntax to some backends (SQLite FTS5 fails on an unbalanced quote). Every
    word must match (``operator="and"``), as in most search engines.
    """
    return " ".join(re.findall(r"\w+", query)[:MAX_SEARCH_WORDS])


def _search(queryset, query, order_by_relevance):
    return queryset.search(
        search_words(query), operator="and", order_by_relevance=order_by_relevance
    )


def matches_word_beginnings():
    """Whether the search backend matches whole words only, so word beginnings are added.

    True for Wagtail's database backend on SQLite (FTS5, no stemming). Its module can
    only be imported on SQLite (it declares an SQLite-only model), hence the guard.
    """
    if connection.vendor != "sqlite":
        return False
    try:
        # app loading: this module declares a model that exists only on SQLite; on
        # PostgreSQL importing it fails, so it is imported only after the vendor check.
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend
    except (ImportError, LookupError):  # pragma: no cover - SQLite without FTS5
        return False
    return isinstance(get_search_backend(), SQLiteSearchBackend)


def _ids_q(results):
    """A Q for the entries of Wagtail search ``results``: a subquery where the backend can."""
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return Q(pk__in=get_queryset().values("pk"))
    return Q(pk__in=[entry.pk for entry in results])


def search_q(queryset, query):
    """A Q that keeps the entries of ``queryset`` matching the full-text ``query``.

    With Wagtail's database backends the match is a subquery (one SQL
    statement, whatever the number of matches); other backends give a list of ids.
    """
    words = search_words(query).split()
    if not words:
        return Q(pk__in=[])
    if not matches_word_beginnings():
        return _ids_q(_search(queryset, query, order_by_relevance=False))
    # Each word as a whole word anywhere, or as the beginning of a word in the short fields.
    return reduce(
        and_,
        (
            _ids_q(queryset.search(word, order_by_relevance=False))
            | _ids_q(queryset.autocomplete(word, order_by_relevance=False))
            for word in words
        ),
    )


def ranked_ids(queryset, query):
    """Ids of the entries matching ``query``, best match first."""
    if not search_words(query):
        return []
    results = _search(queryset, query, order_by_relevance=True)
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        ids = list(get_queryset().values_list("pk", flat=True))
    else:
        ids = [entry.pk for entry in results]
    if matches_word_beginnings():
        # Whole-word matches first (ranked), then the entries found by word beginnings alone.
        found = set(ids)
        ids += [
            pk
            for pk in queryset.filter(search_q(queryset, query))
            .order_by(Lower("title"), "pk")
            .values_list("pk", flat=True)
            if pk not in found
        ]
    return ids
