"""Removing residents' personal data from old messages."""

from __future__ import annotations

import datetime

from django.utils import timezone

from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.models import Feedback


# What a resident wrote or gave is personal data: their name and address, and the
# message itself (residents write about their own case); the editors' note often
# repeats it. The reference, dates, state, entry and handler stay, for counting.
PERSONAL_FIELDS = ("name", "email", "message", "internal_note")


def expired(*, now=None, days=None):
    """Messages received more than ``days`` (``FEEDBACK_RETENTION_DAYS``) ago that still hold personal data."""
    now = now or timezone.now()
    days = algoregister_settings.FEEDBACK_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    return Feedback.objects.filter(received_at__lt=cutoff, personal_data_removed_at__isnull=True)


def remove_expired_personal_data(*, now=None, days=None) -> int:
    """Empty the personal data of every expired message; returns how many were emptied."""
    now = now or timezone.now()
    return expired(now=now, days=days).update(
        **dict.fromkeys(PERSONAL_FIELDS, ""), personal_data_removed_at=now
    )
