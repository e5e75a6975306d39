"""What every exporter shares: the exporter interface (:class:`BaseExporter`), one record
per entry and exporter, outcomes, backoff and one retry chain per record, per-entry
locks, the signals that queue a sync, rate limiting, an HTTP client base with timeouts
and error classes, the command ``algoregister_sync``, the editors' report and each
entry's status (:func:`status_for`). See docs/architecture.md, "A new export target".
"""

from .base import REQUIRED, BaseExporter, RemoteEntry
from .engine import Outcome
from .errors import NotAuthorised, NotFound, PermanentError, SyncError, TransientError
from .registry import InvalidExporter, exporter_names, get_exporter, get_exporters
from .status import EntryStatus, status_for


__all__ = [
    "REQUIRED",
    "BaseExporter",
    "EntryStatus",
    "InvalidExporter",
    "NotAuthorised",
    "NotFound",
    "Outcome",
    "PermanentError",
    "RemoteEntry",
    "SyncError",
    "TransientError",
    "exporter_names",
    "get_exporter",
    "get_exporters",
    "status_for",
]
