"""Reconcile the national Algorithm Register with the published entries."""

from django.core.management.base import BaseCommand, CommandError

from national_export.conf import get_config
from national_export.sync import COUNTED, NationalSync


class Command(BaseCommand):
    help = (
        "Make the national Algorithm Register hold the published entries: create, update and "
        "release changed entries, retract unpublished ones. Ends with one summary line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Rebuild and compare every entry, not only those that changed (sends only changes).",
        )

    def handle(self, *args, dry_run=False, full=False, **options):
        config = get_config()
        if config is None:
            raise CommandError(
                "The national register is not configured: "
                "WAGTAIL_ALGOREGISTER['NATIONAL_REGISTER']['URL'] is not set."
            )
        if not config.has_credentials:
            self.stderr.write(
                f"No credentials: set {config.username_env} and {config.password_env}"
                f"{' (or ' + config.token_env + ')' if config.token_env else ''}."
            )
        syncer = NationalSync(config, dry_run=dry_run)
        counts, outcomes = syncer.run(full=full)
        for outcome in outcomes:
            if outcome.action == "failed":
                self.stderr.write(f"{outcome.entry}: {outcome.message}")
            elif dry_run and outcome.action in ("created", "updated", "withdrawn"):
                self.stdout.write(f"would be {outcome.action}: {outcome.entry}")
        if dry_run:
            self.stdout.write("dry run; nothing was written.")
        self.stdout.write(" ".join(f"{key}={counts[key]}" for key in COUNTED))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} failed; see the messages above.", returncode=1)
