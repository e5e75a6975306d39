"""``algoregister_sync`` for the national register only (kept for scripts and habits)."""

from national_export.exporter import NationalExporter
from wagtail_algoregister.management.commands import algoregister_sync


class Command(algoregister_sync.Command):
    help = (
        "Make the national Algorithm Register hold the public entries: create, update and "
        "release changed entries, retract unpublished ones. Ends with one summary line."
    )
    backend = NationalExporter
    not_configured = (
        "The national register is not configured: no exporter with BACKEND "
        "'national_export.exporter.NationalExporter' in WAGTAIL_ALGOREGISTER['EXPORTERS']."
    )
