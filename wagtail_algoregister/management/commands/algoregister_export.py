"""``manage.py algoregister_export --register REGISTER --format json|csv|xlsx [--output PATH]``.

Writes exactly what the public download of the register serves
(:func:`wagtail_algoregister.views.exports.published_entries` with the writers of
:mod:`wagtail_algoregister.formats.downloads`): the register's live, public entries. Public URLs
come from the sites' own configuration (there is no request). Without ``--output`` the
file goes to standard output.
"""

from __future__ import annotations

import io
import shutil

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.importing.registers import find_register
from wagtail_algoregister.views.exports import FORMATS, published_entries


def write_export(register, fmt, fileobj):
    """Write the register's download in ``fmt`` into the binary file ``fileobj``."""
    entries = published_entries(register)
    if fmt == "csv":
        for chunk in exports.stream_csv(entries):
            fileobj.write(chunk)
    elif fmt == "json":
        for chunk in exports.stream_json(entries):
            fileobj.write(chunk)
    else:
        with exports.xlsx_file(entries) as xlsx:
            shutil.copyfileobj(xlsx, fileobj)


class Command(BaseCommand):
    help = _("Export the published entries of a register as JSON, CSV or XLSX.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--register", required=True, help=_("the register page: its id or URL path")
        )
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--output", default="-", help=_("file to write (default: stdout)"))

    def handle(self, *args, register, fmt, output, **options):
        page = find_register(register)
        if output == "-":
            # Django's OutputWrapper hands out its stream's attributes: the binary buffer.
            target = getattr(self.stdout, "buffer", None)
            if target is None:
                # A text stream (e.g. call_command(stdout=StringIO())).
                if fmt == "xlsx":
                    raise CommandError(_("XLSX is binary: give a file with --output."))
                buffer = io.BytesIO()
                write_export(page, fmt, buffer)
                self.stdout.write(buffer.getvalue().decode("utf-8"), ending="")
                return
            write_export(page, fmt, target)
            target.flush()
            return
        with open(output, "wb") as fileobj:
            write_export(page, fmt, fileobj)
        if options.get("verbosity", 1) >= 1:
            self.stderr.write(_("Wrote %(path)s.") % {"path": output})
