"""The one place that touches private APIs of Wagtail, treebeard, modelcluster or Django.

Everything else uses their public APIs (``tests/test_architecture.py`` checks that no
other module reads or writes a private attribute of theirs). Each function here is kept
for a measured need, and ``tests/test_compat.py`` fails on the version that changes
what it relies on.
"""

from __future__ import annotations


def set_parent(page, parent) -> None:
    """Let ``page.get_parent()`` return ``parent`` without a query.

    treebeard's ``MP_Node.get_parent()`` keeps the parent it read in
    ``_cached_parent_obj``; there is no public way to give it one. Needed by a full run
    of an exporter (``sync.engine.EntrySync.wanted_pages``), which reads every register
    and every entry in a few queries: without it, ``get_parent().specific`` costs two
    queries per entry (measured with the national register's contract server: 17.7
    queries per created entry instead of 15.7).
    """
    page._cached_parent_obj = parent
