"""Reconcile the CKAN portals with the published entries."""

from django.core.management.base import BaseCommand, CommandError

from ckan_export.conf import get_portal, portals
from ckan_export.sync import COUNTED, PortalSync


class Command(BaseCommand):
    help = (
        "Make every configured CKAN portal hold exactly the published entries: create, update, "
        "withdraw, and remove orphans. Ends with one summary line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--portal", help="Only this portal (a key of WAGTAIL_ALGOREGISTER['CKAN_PORTALS'])."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Rebuild and compare every entry, not only those that changed.",
        )

    def handle(self, *args, portal=None, dry_run=False, full=False, **options):
        targets = [get_portal(portal)] if portal else list(portals().values())
        if not targets:
            raise CommandError(
                "No CKAN portals configured in WAGTAIL_ALGOREGISTER['CKAN_PORTALS']."
            )
        totals = dict.fromkeys(COUNTED, 0)
        for target in targets:
            if not target.token and not dry_run:
                self.stderr.write(
                    f"{target.name}: no API token (set {target.token_env or 'TOKEN_ENV'})."
                )
            syncer = PortalSync(target, dry_run=dry_run)
            counts, outcomes = syncer.run(full=full, progress=self._progress(target.name))
            for outcome in outcomes:
                if outcome.action == "failed":
                    where = (
                        f"{target.name}: {outcome.entry}"
                        if outcome.entry != target.name
                        else target.name
                    )
                    self.stderr.write(f"{where}: {outcome.message}")
                elif dry_run and outcome.action in ("created", "updated", "withdrawn"):
                    self.stdout.write(f"{target.name}: would be {outcome.action}: {outcome.entry}")
            if dry_run:
                self.stdout.write(f"{target.name}: dry run; nothing was written.")
            for key in COUNTED:
                totals[key] += counts[key]
        self.stdout.write(" ".join(f"{key}={totals[key]}" for key in COUNTED))
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} failed; see the messages above.", returncode=1)

    def _progress(self, name):
        stream = self.stderr
        if not stream.isatty():
            return None

        def show(done, total):
            width = 30
            filled = int(width * done / total) if total else width
            bar = f"\r{name} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}"
            # One line, redrawn: no newline, and not in the error style of stderr.
            stream.write(bar, style_func=str, ending="\n" if done == total else "")
            stream.flush()

        return show
