"""Publishing, unpublishing or deleting an entry queues its upload after the commit.

The handlers are the shared ones of :func:`wagtail_algoregister.sync.engine.connect_entry_signals`.
"""

from wagtail_algoregister.sync.engine import connect_entry_signals

from .conf import is_configured


def _enqueue(entry_key):
    from .tasks import enqueue_entry

    return enqueue_entry(entry_key)


def register_signal_handlers():
    connect_entry_signals(
        enabled=lambda: bool(is_configured()), enqueue=_enqueue, prefix="national_export"
    )
