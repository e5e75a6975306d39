"""Every action that can change which entries are public, or what they say, queues a
sync of the entries concerned at every configured exporter, after the commit (so the
worker sees the new state):

- an entry published (also by ``publish_scheduled``, a revert, a copy that stays live,
  or a translation: the default locale's version is what is sent), unpublished (also
  on expiry) or deleted (also with its register or any page above it);
- a register published or unpublished (its organisation is part of every entry);
- a page moved (an entry into, out of or between registers; a register or a page above
  it to another place: the URLs, the registers an exporter covers, privacy);
- a view restriction (password, login, groups) added to or removed from an entry or
  any page above it.

The sync itself decides what each entry needs (publish, update, withdraw or nothing),
so a signal never has to.
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .registry import exporter_names
from .tasks import enqueue_all


def queue(keys):
    """Queue a sync of each entry key after the commit (nothing when no exporter is
    configured: then nothing touches the queue or the network)."""
    if not exporter_names():
        return
    keys = list(dict.fromkeys(keys))  # a lazy queryset is read only now
    if keys:
        transaction.on_commit(functools.partial(enqueue_keys, keys))


def enqueue_keys(keys):
    for key in keys:
        enqueue_all(key)


def keys_below(page, *, inclusive=True):
    """The keys of the entries at or below ``page``."""
    return AlgorithmPage.objects.descendant_of(page, inclusive=inclusive).values_list(
        "translation_key", flat=True
    )


def entry_published(sender, instance, **kwargs):
    # Wagtail also sends page_published for drafts scheduled in the future
    # (wagtail#13959): act on the live state, not on the signal.
    if instance.live:
        queue([instance.translation_key])


def entry_gone(sender, instance, **kwargs):
    queue([instance.translation_key])


def register_changed(sender, instance, **kwargs):
    queue(keys_below(instance, inclusive=False))


def page_moved(sender, instance, **kwargs):
    queue(keys_below(instance))


def restriction_changed(sender, instance, **kwargs):
    if not exporter_names():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # deleted with its page: the page's own signals queue its entries
        queue(keys_below(page))


def connect():
    """Connect the handlers (once, from the app's ``ready()``)."""
    uid = "wagtail_algoregister_sync"
    page_published.connect(entry_published, sender=AlgorithmPage, dispatch_uid=f"{uid}_published")
    page_unpublished.connect(entry_gone, sender=AlgorithmPage, dispatch_uid=f"{uid}_unpublished")
    post_delete.connect(entry_gone, sender=AlgorithmPage, dispatch_uid=f"{uid}_deleted")
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            register_changed, sender=AlgorithmRegisterPage, dispatch_uid=f"{uid}_register_{name}"
        )
    # Any page type: a register or a page above it may move.
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}_moved")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}_restriction_{name}",
        )
