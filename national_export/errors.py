"""Failures talking to the national register, sorted like ckan_export's: retry or stop."""


class SyncError(Exception):
    """A failure talking to the national register. ``message`` is for editors (no secrets)."""

    transient = False

    def __init__(self, message, *, status=None, detail=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail


class TransientError(SyncError):
    """Timeouts, refused or dropped connections, 429 and 5xx: worth trying again later."""

    transient = True


class PermanentError(SyncError):
    """Validation errors, refused credentials or access, unknown ids: retrying will not help."""


class NotAuthorised(PermanentError):
    pass


class NotFound(PermanentError):
    pass


class InvalidState(PermanentError):
    """The algorithm is not in the state the action starts from (e.g. already released)."""
