"""Publishing, unpublishing or deleting an entry queues its export after the commit."""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conf import portals


def _queue(entry_key):
    if not portals():
        return
    from .tasks import enqueue_entry

    # After the commit, so the worker sees the new state; never inside the request's work.
    transaction.on_commit(lambda: enqueue_entry(entry_key))


def on_published(sender, instance, **kwargs):
    # Wagtail also sends page_published for drafts scheduled in the future
    # (wagtail#13959): act on the live state, not on the signal.
    if instance.live:
        _queue(instance.translation_key)


def on_unpublished(sender, instance, **kwargs):
    _queue(instance.translation_key)


def on_deleted(sender, instance, **kwargs):
    _queue(instance.translation_key)


def on_register_changed(sender, instance, **kwargs):
    # The register's name, code and visibility are part of every entry's dataset.
    for key in AlgorithmPage.objects.child_of(instance).values_list("translation_key", flat=True):
        _queue(key)


def register_signal_handlers():
    page_published.connect(on_published, sender=AlgorithmPage, dispatch_uid="ckan_export_published")
    page_unpublished.connect(
        on_unpublished, sender=AlgorithmPage, dispatch_uid="ckan_export_unpublished"
    )
    post_delete.connect(on_deleted, sender=AlgorithmPage, dispatch_uid="ckan_export_deleted")
    for signal, uid in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            on_register_changed,
            sender=AlgorithmRegisterPage,
            dispatch_uid=f"ckan_export_register_{uid}",
        )
