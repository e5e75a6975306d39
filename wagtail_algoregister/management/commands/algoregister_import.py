"""``manage.py algoregister_import PATH --register REGISTER``: import entries from a file.

See :mod:`wagtail_algoregister.importing` for the formats, the mapping of older
versions of the standard, validation and matching. Output: one line per problem
(``row 3 ("Parkeervergunning"): begin_date: …``) on stderr, notes about moved or
left-out fields with ``-v 2``, and a summary line (created, updated, unchanged,
skipped, invalid). Exits non-zero, having written nothing, when an entry is invalid
(unless ``--skip-invalid``) or the file cannot be read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wagtail_algoregister.importing import ImportFailed, Options, run_import
from wagtail_algoregister.importing.importer import error_lines, note_lines
from wagtail_algoregister.importing.readers import FORMATS
from wagtail_algoregister.importing.registers import find_register


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

    def handle(self, *args, path, register, **options):
        register_page = find_register(register)
        opts = Options(
            publish=options["publish"],
            update=options["update"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            publication_category=options["publication_category"],
            fmt=options["fmt"],
        )
        try:
            result = run_import(path, register_page, opts)
        except ImportFailed as error:
            for line in error.lines:
                self.stderr.write(line)
            raise CommandError(str(error)) from error
        verbosity = options.get("verbosity", 1)
        for line in error_lines(result):
            self.stderr.write(line)
        if verbosity >= 2:
            for line in note_lines(result):
                self.stdout.write(line)
        if verbosity >= 1:
            for c in result.candidates:
                if c.action == "skipped":
                    self.stdout.write(
                        _("%(where)s: exists already (page %(id)s); use --update to update it.")
                        % {"where": c.where, "id": c.match.pk}
                    )
        self.stdout.write(result.summary())
