"""``algoregister_sync`` for the CKAN portals only (kept for scripts and habits)."""

from ckan_export.exporter import CkanExporter
from wagtail_algoregister.management.commands import algoregister_sync


class Command(algoregister_sync.Command):
    help = (
        "Make every configured CKAN portal hold exactly the public entries: create, update, "
        "withdraw, and remove orphans. Ends with one summary line."
    )
    backend = CkanExporter
    not_configured = "No CKAN portals configured in WAGTAIL_ALGOREGISTER['EXPORTERS']."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--portal",
            dest="exporter",
            action="append",
            help="Only this portal (the same as --exporter).",
        )
