"""An entry's state at every export target, for the entry's edit view (and anything
else that shows it): ``status_for(page, user)``.

Public API: the fields of :class:`EntryStatus` and the signature of :func:`status_for`
stay stable; the report (:mod:`.report`) shows the same facts per record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail_algoregister.models import SyncRecord

from .engine import MAX_ATTEMPTS
from .registry import InvalidExporter, exporter_names, get_exporter
from .report import URL_NAMESPACE, may_act


NOT_SENT = "not_sent"


@dataclass(frozen=True)
class EntryStatus:
    exporter: str  # the name in WAGTAIL_ALGOREGISTER["EXPORTERS"]
    target: str  # what the target is, for editors ("CKAN portal")
    state: str  # pending, synced, failed, withdrawn, or "not_sent" (no record yet)
    state_label: str  # the state in the editor's language
    message: str  # the target's last refusal or failure ("" when none)
    remote_text: str  # the entry's id or name at the target ("" when none)
    remote_url: str  # a link to the entry at the target ("" when none)
    attempts: int  # failed tries of the current retry chain
    max_attempts: int
    next_attempt_at: datetime.datetime | None  # when the queued retry runs (None: none queued)
    last_synced_at: datetime.datetime | None
    can_retry: bool  # the user may send it again (and the exporter is configured)
    retry_url: str  # POST here to send it again ("" when not can_retry)


def status_for(page, user=None) -> list[EntryStatus]:
    """The entry's state at each configured exporter, in the settings' order.

    ``page`` is any version of the entry (translations share the record: the default
    locale's version is what is sent). ``user``: whether they may send it again
    (the ``change`` permission on export records); without a user, ``can_retry`` is
    False.
    """
    records = {r.exporter: r for r in SyncRecord.objects.filter(entry_key=page.translation_key)}
    allowed = user is not None and may_act(user)
    statuses = []
    for name in exporter_names():
        try:
            exporter = get_exporter(name)
        except InvalidExporter:
            continue
        record = records.get(name)
        if record is None:
            statuses.append(
                EntryStatus(
                    exporter=name,
                    target=str(exporter.verbose_name),
                    state=NOT_SENT,
                    state_label=_("Not sent"),
                    message="",
                    remote_text="",
                    remote_url="",
                    attempts=0,
                    max_attempts=MAX_ATTEMPTS,
                    next_attempt_at=None,
                    last_synced_at=None,
                    can_retry=False,
                    retry_url="",
                )
            )
            continue
        text, url = exporter.remote_link(record) or ("", "")
        statuses.append(
            EntryStatus(
                exporter=name,
                target=str(exporter.verbose_name),
                state=record.state,
                state_label=exporter.state_label(record.state),
                message=record.last_error,
                remote_text=text,
                remote_url=url,
                attempts=record.attempts,
                max_attempts=MAX_ATTEMPTS,
                # Only when a retry is queued: a task backend that cannot run tasks
                # later (the immediate one) leaves the entry for the next publish.
                next_attempt_at=record.next_attempt_at
                if record.state == SyncRecord.State.PENDING and record.retry_task_id
                else None,
                last_synced_at=record.last_synced_at,
                can_retry=allowed,
                retry_url=reverse(f"{URL_NAMESPACE}:retry", args=(record.pk,)) if allowed else "",
            )
        )
    return statuses
