"""Full-text search of entries with Wagtail search, as conditions and as a ranking."""

from __future__ import annotations

import re

from django.db.models import Q


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


def search_q(queryset, query):
    """A Q that keeps the entries of ``queryset`` matching the full-text ``query``.

    With Wagtail's database backends the match is a subquery (one SQL
    statement, whatever the number of matches); other backends give a list of ids.
    """
    if not search_words(query):
        return Q(pk__in=[])
    results = _search(queryset, query, order_by_relevance=False)
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return Q(pk__in=get_queryset().values("pk"))
    return Q(pk__in=[entry.pk for entry in results])


def ranked_ids(queryset, query):
    """Ids of the entries matching ``query``, best match first."""
    if not search_words(query):
        return []
    results = _search(queryset, query, order_by_relevance=True)
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [entry.pk for entry in results]
