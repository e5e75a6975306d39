"""Publishing, unpublishing or deleting an entry queues its upload after the commit.

Nothing is connected to the database or the network when the export is not
configured (no ``WAGTAIL_ALGOREGISTER["NATIONAL_REGISTER"]["URL"]``): the handlers
check the configuration each time, so ``override_settings`` works.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conf import is_configured


def _queue(entry_key):
    if not is_configured():
        return
    from .tasks import enqueue_entry

    transaction.on_commit(lambda: enqueue_entry(entry_key))


def on_published(sender, instance, **kwargs):
    # Wagtail also sends page_published for drafts scheduled in the future: act on the live state.
    if instance.live:
        _queue(instance.translation_key)


def on_unpublished(sender, instance, **kwargs):
    _queue(instance.translation_key)


def on_deleted(sender, instance, **kwargs):
    _queue(instance.translation_key)


def on_register_changed(sender, instance, **kwargs):
    # The register's organisation is part of every entry's body.
    for key in AlgorithmPage.objects.child_of(instance).values_list("translation_key", flat=True):
        _queue(key)


def register_signal_handlers():
    page_published.connect(
        on_published, sender=AlgorithmPage, dispatch_uid="national_export_published"
    )
    page_unpublished.connect(
        on_unpublished, sender=AlgorithmPage, dispatch_uid="national_export_unpublished"
    )
    post_delete.connect(on_deleted, sender=AlgorithmPage, dispatch_uid="national_export_deleted")
    for signal, uid in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            on_register_changed,
            sender=AlgorithmRegisterPage,
            dispatch_uid=f"national_export_register_{uid}",
        )
