"""Background work of the import: the search and reference indexes of the new entries.

Wagtail updates these indexes after every save through a task per save (``modelsearch``
and ``wagtail`` enqueue one in their ``post_save`` handlers). The import switches that
off while it writes (:func:`.indexing.deferred_indexing`) and enqueues one
:func:`index_entries_task` per chunk of entries instead, in its own transaction: with
a database task queue (``django_tasks_db``, the example site's setting) the task rows
commit or roll back with the entries and a worker (``manage.py db_worker``) indexes
them in bulk; with the immediate backend they run at once.
"""

from __future__ import annotations

from django_tasks import task

from wagtail_algoregister.importing.indexing import index_entries


@task()
def index_entries_task(pks: list[int]) -> None:
    """Update the search and reference indexes of the entries with these page ids."""
    index_entries(pks)
