"""Failures talking to an export target, sorted into those worth trying again later
(:class:`TransientError`) and those that need a person (:class:`PermanentError`).

``message`` is for editors: it names what went wrong and never holds a secret, a URL
with credentials or a response body that might. Exporters raise these from their
clients; :class:`~wagtail_algoregister.sync.base.BaseExporter` records them.
"""


class SyncError(Exception):
    """A failure talking to the target."""

    transient = False

    def __init__(self, message, *, action="", status=None, detail=None, error_dict=None):
        super().__init__(message)
        self.message = message
        self.action = action  # the operation that failed (an API action or path)
        self.status = status  # the HTTP status, when there was an answer
        self.detail = detail  # the answer's error detail, for the exporter's own checks
        self.error_dict = error_dict or {}


class TransientError(SyncError):
    """Timeouts, refused or dropped connections, 429 and 5xx: worth trying again later."""

    transient = True


class PermanentError(SyncError):
    """Validation errors, refused credentials or access, unknown ids: retrying will not help."""


class NotAuthorised(PermanentError):
    pass


class NotFound(PermanentError):
    pass


class ExportFailed(Exception):
    """Raised by the sync task after the failure is recorded, so that the task queue
    marks the task as failed and monitoring of the queue sees an outage."""
