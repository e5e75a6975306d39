"""Creating many new entries at once: the rows Wagtail would write, in batches.

Creating a page the usual way (``add_child``, ``save_revision``, ``revision.publish()``)
costs some 40 queries per entry: the tree position, a full save with its child rows,
savepoints, the revision, a second save, logging, each a round trip. An import creates
hundreds or thousands of entries, so :func:`create_entries` writes exactly the same
rows per batch of :data:`BATCH` entries instead:

- the page rows, with their tree paths computed as treebeard's ``add_child`` computes
  them (:func:`tree_path`: the next steps after the register's last child, under a
  row lock on the register, whose ``numchild`` is raised once), ``url_path`` as
  ``Page.set_url_path`` sets it, the register's locale, and the entry's own row
  (multi-table inheritance, which ``bulk_create`` refuses: :func:`insert_rows`);
- the link rows of the three groupings, in the entry's order (``sort_order``);
- one revision per entry with the content ``save_revision`` stores
  (``page.serializable_data()``), set as the page's latest revision and, when
  publishing, its live revision, with both publication dates;
- the log entries ``wagtail.create`` and, when publishing, ``wagtail.publish``;
- the ``page_published`` signal per published entry (the open-data export listens);
- the search index and Wagtail's reference index, in bulk
  (:func:`.indexing.index_pages`).

What ``AlgorithmPage.save`` does is applied first (the standard's normalisation, the
default ``source_id``); the values were validated already (:func:`.candidates.build_candidate`).
Nothing else a save does applies to a new page: it has no previous revision,
workflow, comments, aliases, translations or scheduled publication. The tests check
the result against Wagtail's own invariants (``Page.find_problems()``, revisions,
rendering, search).

Only public APIs: treebeard's ``Page.numconv_obj()``, ``alphabet`` and ``steplen`` for
the paths (``tests/test_import_bulk.py`` checks :func:`tree_path` against treebeard's
own path function, so a treebeard that numbers paths differently fails the test),
and Django's ``Model._meta``, ``Field.pre_save``/``get_db_prep_save`` and a cursor for
the entry rows.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import F
from django.utils import timezone
from treebeard.exceptions import PathOverflow
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, Revision
from wagtail.signals import page_published

from wagtail_algoregister.importing.apply import apply_candidate, link_models
from wagtail_algoregister.models import AlgorithmPage


BATCH = 500


def tree_step(path: str) -> int:
    """The position of the page at ``path`` among its siblings (treebeard's numbering)."""
    return Page.numconv_obj().str2int(path[-Page.steplen :])


def tree_path(parent_path: str, step: int) -> str:
    """The path of the ``step``-th child of the page at ``parent_path``."""
    key = Page.numconv_obj().int2str(step)
    if len(key) > Page.steplen:
        raise PathOverflow(f"no room for another child under {parent_path}")
    return parent_path + Page.alphabet[0] * (Page.steplen - len(key)) + key


def insert_rows(model, objs, fields) -> None:
    """INSERT ``objs`` into ``model``'s own table: the ``fields`` given, as Django saves them."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objs) or BATCH))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = [
                f.get_db_prep_save(f.pre_save(obj, True), connection)
                for obj in chunk
                for f in fields
            ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 (names from _meta)
                f"VALUES {', '.join([row] * len(chunk))}",
                params,
            )


def create_entries(register, candidates, *, publish: bool, slug_for, user=None) -> list:
    """Create one page per candidate under ``register``; returns the pages, in order.

    ``slug_for(candidate)`` gives each page a slug free among its siblings; ``user``
    (or ``None``) owns the pages and is the author of their revisions and log entries,
    as with ``save_revision(user=…)``. Must run inside a transaction.
    """
    user_id = user.pk if user is not None else None
    if not candidates:
        return []
    content_type = ContentType.objects.get_for_model(AlgorithmPage)
    base_content_type = ContentType.objects.get_for_model(Page)
    parent = Page.objects.select_for_update().get(pk=register.pk)
    last = parent.get_last_child()
    step = tree_step(last.path) if last else 0
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    own_fields = AlgorithmPage._meta.local_concrete_fields
    links_by_key = link_models()
    links = list(links_by_key.values())
    created = []
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        now = timezone.now()
        pages = []
        for candidate in batch:
            step += 1
            slug = slug_for(candidate)
            page = AlgorithmPage(
                path=tree_path(parent.path, step),
                depth=parent.depth + 1,
                numchild=0,
                slug=slug,
                url_path=f"{parent.url_path}{slug}/",
                content_type=content_type,
                locale_id=parent.locale_id,
                live=publish,
                has_unpublished_changes=not publish,
                first_published_at=now if publish else None,
                last_published_at=now if publish else None,
                latest_revision_created_at=now,
                owner_id=user_id,
            )
            apply_candidate(page, candidate, creating=True, links=links_by_key)
            # What AlgorithmPage.save() does.
            page.normalise_standard_fields()
            if not page.source_id:
                page.source_id = str(page.translation_key)
            page.draft_title = page.title
            setattr(page, COMMENTS_RELATION_NAME, [])
            pages.append(page)

        bases = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
        )
        for page, base in zip(pages, bases, strict=True):
            page.id = page.page_ptr_id = base.pk
        # Django's bulk_create refuses multi-table models: insert the entry rows directly.
        insert_rows(AlgorithmPage, pages, own_fields)
        for attribute, model in links:
            rows = []
            for page in pages:
                for order, item in enumerate(getattr(page, attribute).all()):
                    rows.append(
                        model(page_id=page.pk, sort_order=order, title=item.title, link=item.link)
                    )
            model.objects.bulk_create(rows, batch_size=BATCH)

        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=str(page.pk),
                    created_at=now,
                    user_id=user_id,
                    content=page.serializable_data(),
                    object_str=str(page),
                )
                for page in pages
            ]
        )
        for page, revision, base in zip(pages, revisions, bases, strict=True):
            page.latest_revision = revision
            base.latest_revision_id = revision.pk
            if publish:
                page.live_revision = revision
                base.live_revision_id = revision.pk
        Page.objects.bulk_update(bases, ["latest_revision", "live_revision"], batch_size=BATCH)

        entries = []
        for page, revision in zip(pages, revisions, strict=True):
            actions = ["wagtail.create", "wagtail.publish"] if publish else ["wagtail.create"]
            for action in actions:
                entries.append(
                    PageLogEntry(
                        page_id=page.pk,
                        content_type=content_type,
                        label=page.get_admin_display_title(),
                        action=action,
                        data={},
                        timestamp=now,
                        user_id=user_id,
                        revision=revision if action == "wagtail.publish" else None,
                        content_changed=True,
                    )
                )
        PageLogEntry.objects.bulk_create(entries, batch_size=BATCH)
        created.extend(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(created))
    if publish:
        for page in created:
            page_published.send(sender=AlgorithmPage, instance=page, revision=page.live_revision)
    return created
