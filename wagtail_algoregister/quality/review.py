"""Review due: entries whose next review date has passed or comes soon."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone


# How far ahead a coming review is announced.
DUE_WITHIN = datetime.timedelta(days=30)


@dataclass(frozen=True)
class ReviewState:
    date: datetime.date | None
    today: datetime.date

    @property
    def is_overdue(self) -> bool:
        return self.date is not None and self.date < self.today

    @property
    def is_due(self) -> bool:
        """Passed, today, or within :data:`DUE_WITHIN`."""
        return self.date is not None and self.date <= self.today + DUE_WITHIN

    @property
    def days_left(self) -> int | None:
        return None if self.date is None else (self.date - self.today).days


def review_state(next_review_date, today=None) -> ReviewState:
    return ReviewState(next_review_date, today or timezone.localdate())


def due_filter(today=None, prefix=""):
    """A ``Q`` for entries (``AlgorithmPage``) whose review is due by :func:`review_state`."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}next_review_date__lte": today + DUE_WITHIN})
