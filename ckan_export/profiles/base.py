"""The interface of a CKAN profile: a pure mapping from an entry to a dataset."""

from __future__ import annotations

from wagtail_algoregister.formats.context import EntryContext

from ..conf import Portal


class Profile:
    """A mapping from an entry (its
    :class:`~wagtail_algoregister.formats.context.EntryContext`) to the dataset dict of one
    kind of portal, and the portal's rules, checked before sending.

    The exporter sends what :meth:`build` gives, merges it onto the remote dataset and
    keeps what the portal added itself (see :class:`~ckan_export.exporter.CkanExporter`).
    """

    #: The name in the ``PROFILE`` option of an exporter.
    name = ""
    #: Changing it makes the next sync rebuild and compare every dataset.
    version = "1"
    #: Every top-level key :meth:`build` can write: the exporter removes those it no
    #: longer sends from the remote dataset and keeps every other key.
    managed_keys: frozenset = frozenset()
    #: Remote extras with this prefix are ours (dropped when we no longer send them);
    #: others are kept. "" when the profile sends no extras of its own.
    extra_prefix = ""

    def build(self, context: EntryContext, portal: Portal) -> dict:
        """The dataset (without ``name``, which the exporter derives once and freezes).
        Resources carry a ``"_key"`` (``"page"``, ``"json"``, ...) that keeps each
        resource's CKAN id stable; the exporter removes it before sending."""
        raise NotImplementedError

    def validate(self, payload: dict) -> dict[str, list[str]]:
        """{field: [problem, ...]} of a payload the portal would refuse; {} when fine."""
        return {}
