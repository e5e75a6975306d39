"""``manage.py algoregister_check_links [--register REGISTER] [--queue]``.

Checks the links of every published entry (of one register, with ``--register``) and
stores the results per entry, for the edit view and the quality report. Run it on a
schedule (cron, a systemd timer), for example every night. It works through the
entries itself, one checker for the whole run, so a link that several entries share
is fetched once and requests to one host are spaced; ``--queue`` instead queues one
task per entry for the task worker.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...importing.registers import find_register
from ...models import AlgorithmPage
from ...quality.linkcheck import LinkChecker
from ...quality.tasks import check_entry_links_task, check_page_links


class Command(BaseCommand):
    help = _("Check the links of published entries and store the results.")

    def add_arguments(self, parser):
        parser.add_argument("--register", help=_("only this register: its id or URL path"))
        parser.add_argument(
            "--queue", action="store_true", help=_("queue a task per entry instead of checking")
        )

    def handle(self, *args, register=None, queue=False, **options):
        entries = AlgorithmPage.objects.live().order_by("pk")
        if register:
            entries = entries.child_of(find_register(register))
        if queue:
            count = 0
            for pk in entries.values_list("pk", flat=True):
                check_entry_links_task.enqueue(pk)
                count += 1
            self.stdout.write(_("Queued the link check of %(count)s entries.") % {"count": count})
            return
        links = problems = broken = 0
        with LinkChecker() as checker:
            for page in entries.specific().iterator():
                rows = check_page_links(page, checker)
                links += len(rows)
                problems += sum(1 for row in rows if row.needs_attention)
                broken += sum(1 for row in rows if row.is_broken)
                if options.get("verbosity", 1) >= 2:
                    for row in rows:
                        if row.needs_attention:
                            self.stdout.write(
                                f"{page.title}: {row.label}: {row.url}: {row.message}"
                            )
        self.stdout.write(
            _(
                "Checked %(links)s links of %(entries)s entries: %(broken)s broken, %(problems)s to look at."
            )
            % {"links": links, "entries": entries.count(), "broken": broken, "problems": problems}
        )
