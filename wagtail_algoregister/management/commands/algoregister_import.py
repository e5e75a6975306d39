"""``manage.py algoregister_import PATH --register REGISTER``: import entries from a file.

See :mod:`wagtail_algoregister.importing` for the formats, the mapping of older
versions of the standard, validation and matching. Output, by default:

- on stderr, one line per problem that makes an entry invalid
  (``row 3 ("Parkeervergunning"): begin_date: …``);
- on stdout, what the import found about the file (its encoding, when not UTF-8),
  then per entry: what it did with each key the standard 1.0 does not have (moved,
  merged, ignored), rows it left out, warnings about the quality of what it imported
  (text in a link field), an existing entry it skipped or a probable duplicate it did
  not create, and the fields an update changes (with their values at ``-v 2``);
- a summary line (created, updated, unchanged, skipped, invalid, probable duplicates),
  the same for ``--dry-run``, which writes nothing.

Exits non-zero, having written nothing, when an entry is invalid (unless
``--skip-invalid``) or the file cannot be read; the message names the file.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wagtail_algoregister.importing import Action, ImportFailed, Options, run_import
from wagtail_algoregister.importing.readers import FORMATS
from wagtail_algoregister.importing.registers import find_register


def _short(value) -> str:
    text = " ".join(str(value if value not in (None, "") else "–").split())
    return text if len(text) <= 80 else text[:79] + "…"


class Command(BaseCommand):
    help = _(
        "Import algorithm descriptions (national JSON, CSV or XLSX of any version of the "
        "standard, or the Eurocities 0.3.1 template) into a register."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("the file to import"))
        parser.add_argument(
            "--register", required=True, help=_("the register page: its id or URL path")
        )
        parser.add_argument("--format", default="auto", choices=FORMATS, dest="fmt")
        parser.add_argument(
            "--publish", action="store_true", help=_("publish the entries (default: drafts)")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("validate and report; write nothing")
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("update entries that exist already (matched on source_id or lars)"),
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("import the valid entries and list the invalid ones"),
        )
        parser.add_argument(
            "--publication-category",
            default="",
            help=_("publication category for entries that have none (standards before 1.0)"),
        )
        parser.add_argument(
            "--merge-old-keys",
            action="store_true",
            help=_(
                "in a file of standard 1.0, merge fields of older versions (type, "
                "source_data_link, …) into the 1.0 fields instead of ignoring them"
            ),
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help=_(
                "create entries without source_id or national ID even when the register "
                "has an entry with the same organisation and name"
            ),
        )

    def handle(self, *args, path, register, **options):
        register_page = find_register(register)
        opts = Options(
            publish=options["publish"],
            update=options["update"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            publication_category=options["publication_category"],
            fmt=options["fmt"],
            merge_old_keys=options["merge_old_keys"],
            allow_duplicates=options["allow_duplicates"],
        )
        verbosity = options.get("verbosity", 1)
        try:
            result = run_import(path, register_page, opts)
        except ImportFailed as error:
            if error.result is not None and verbosity >= 1:
                self.report(error.result, verbosity)
            for line in error.lines:
                self.stderr.write(line)
            raise CommandError(str(error)) from error
        for line in result.error_lines():
            self.stderr.write(line)
        if verbosity >= 1:
            self.report(result, verbosity)
        self.stdout.write(result.summary())

    def report(self, result, verbosity):
        for message in result.messages:
            self.stdout.write(f"{result.file_name}: {message}")
        for entry in result.entries:
            for note in entry.notes:
                self.stdout.write(f"{entry.where}: {note.line()}")
            for warning in entry.warnings:
                self.stdout.write(f"{entry.where}: " + _("warning") + f": {warning.line()}")
            if entry.action == Action.SKIPPED:
                self.stdout.write(
                    _("%(where)s: exists already (page %(id)s); use --update to update it.")
                    % {"where": entry.where, "id": entry.page_id}
                )
            elif entry.action == Action.UPDATED and entry.changes:
                self.stdout.write(
                    _("%(where)s: changes %(keys)s.")
                    % {"where": entry.where, "keys": ", ".join(c.key for c in entry.changes)}
                )
                if verbosity >= 2:
                    for change in entry.changes:
                        self.stdout.write(
                            f"    {change.key}: {_short(change.before)} → {_short(change.after)}"
                        )
