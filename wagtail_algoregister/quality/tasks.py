"""Link checks in the background: one task per entry, on publish and from the command.

:func:`check_page_links` fetches every link of an entry's published version (at most
once per run, see :class:`.linkcheck.LinkChecker`) and replaces the entry's stored
results (:class:`~wagtail_algoregister.models.LinkCheck`) in one transaction. The
fetching happens outside the transaction: it may take a while.

Publishing an entry queues :func:`check_entry_links_task` after the commit, when the
task queue runs tasks in a worker (a backend that can defer, like ``django_tasks_db``):
with the immediate backend the check would hold up the editor's publish request, so
there the scheduled command (``manage.py algoregister_check_links``) does it.
"""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task
from wagtail.signals import page_published, page_unpublished

from ..models import AlgorithmPage, LinkCheck
from .entries import page_links
from .linkcheck import LinkChecker, settings
from .links import static_findings


logger = logging.getLogger(__name__)

# Findings that mean the value is no web address at all: nothing to fetch.
NOT_FETCHED = ("not_a_link", "no_scheme", "other_scheme")


def check_page_links(page, checker: LinkChecker) -> list[LinkCheck]:
    """Check every link of ``page`` and store the results (replacing the earlier ones)."""
    now = timezone.now()
    rows = []
    for link in page_links(page):
        findings = static_findings(link.url)
        finding = findings[0] if findings else None
        result = None if finding and finding.kind in NOT_FETCHED else checker.check(link.url)
        rows.append(
            LinkCheck(
                page_id=page.pk,
                key=link.key,
                position=link.position,
                title=link.title[:255],
                url=link.url,
                finding=finding.kind if finding else "",
                outcome=result.outcome if result else "not_checked",
                status=result.status if result else None,
                final_url=result.final_url if result else "",
                suggestion=(finding.suggestion if finding else "")
                or (result.suggestion if result else ""),
                detail=result.detail if result else "",
                checked_at=now,
            )
        )
    with transaction.atomic():
        LinkCheck.objects.filter(page_id=page.pk).delete()
        LinkCheck.objects.bulk_create(rows)
    return rows


@task()
def check_entry_links_task(page_id: int) -> int:
    """Check the links of one published entry; returns how many need the editor."""
    page = AlgorithmPage.objects.live().filter(pk=page_id).first()
    if page is None:
        LinkCheck.objects.filter(page_id=page_id).delete()
        return 0
    with LinkChecker() as checker:
        rows = check_page_links(page, checker)
    return sum(1 for row in rows if row.needs_attention)


def queue_on_publish() -> bool:
    return bool(settings()["ON_PUBLISH"]) and default_task_backend.supports_defer


def _on_published(sender, instance, **kwargs):
    # page_published also fires for drafts scheduled in the future (wagtail#13959).
    if instance.live and queue_on_publish():
        transaction.on_commit(functools.partial(_enqueue, instance.pk))


def _on_unpublished(sender, instance, **kwargs):
    # Results describe the published version; an unpublished entry has none.
    LinkCheck.objects.filter(page_id=instance.pk).delete()


def _enqueue(page_id):
    try:
        check_entry_links_task.enqueue(page_id)
    except Exception:
        logger.exception("Could not queue the link check of page %s", page_id)


def register_signal_handlers():
    page_published.connect(_on_published, sender=AlgorithmPage, dispatch_uid="algoregister_links")
    page_unpublished.connect(
        _on_unpublished, sender=AlgorithmPage, dispatch_uid="algoregister_links_gone"
    )
