"""Reconcile every export target with the public entries."""

from django.core.management.base import BaseCommand, CommandError

from wagtail_algoregister.sync.engine import COUNTED
from wagtail_algoregister.sync.registry import (
    InvalidExporter,
    backend_class,
    exporter_names,
    get_exporter,
)


class Command(BaseCommand):
    help = (
        "Make every configured export target hold exactly the public entries: create, "
        "update, withdraw (and what the target does besides, such as removing orphans). "
        "Ends with one summary line."
    )
    #: Aliases (ckan_sync, national_sync) take only the exporters of their class.
    backend = None
    not_configured = "No exporters configured in WAGTAIL_ALGOREGISTER['EXPORTERS']."

    def add_arguments(self, parser):
        parser.add_argument(
            "--exporter",
            action="append",
            help="Only this exporter (a key of WAGTAIL_ALGOREGISTER['EXPORTERS']); repeatable.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Rebuild and compare every entry, not only those that changed (sends only changes).",
        )

    def names(self, chosen):
        try:
            names = chosen or [
                name
                for name in exporter_names()
                if self.backend is None or issubclass(backend_class(name), self.backend)
            ]
            for name in names:
                if self.backend is not None and not issubclass(backend_class(name), self.backend):
                    raise CommandError(f"{name!r} is not a {self.backend.__name__}.")
        except InvalidExporter as e:
            raise CommandError(str(e)) from None
        if not names:
            raise CommandError(self.not_configured)
        return names

    def handle(self, *args, exporter=None, dry_run=False, full=False, **options):
        totals = dict.fromkeys(COUNTED, 0)
        for name in self.names(exporter):
            target = get_exporter(name, dry_run=dry_run)
            warning = target.credentials_warning()
            if warning and not dry_run:
                self.stderr.write(f"{name}: {warning}")
            counts, outcomes = target.run(full=full, progress=self._progress(name))
            for outcome in outcomes:
                if outcome.action == "failed":
                    where = f"{name}: {outcome.entry}" if outcome.entry != name else name
                    self.stderr.write(f"{where}: {outcome.message}")
                elif dry_run and outcome.action in ("created", "updated", "withdrawn"):
                    self.stdout.write(f"{name}: would be {outcome.action}: {outcome.entry}")
            if dry_run:
                self.stdout.write(f"{name}: dry run; nothing was written.")
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
