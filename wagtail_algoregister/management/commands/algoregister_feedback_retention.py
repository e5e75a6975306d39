"""``manage.py algoregister_feedback_retention [--days N] [--dry-run]``.

Removes the personal data (name, e-mail address, message, internal note) of residents'
messages received more than ``FEEDBACK_RETENTION_DAYS`` days ago. Run it daily from
cron, or enqueue :func:`wagtail_algoregister.feedback.tasks.remove_expired_personal_data`
with your task worker's scheduler.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.feedback import retention


class Command(BaseCommand):
    help = _("Remove the personal data of residents' messages older than the retention period.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Retention period in days (default: the FEEDBACK_RETENTION_DAYS setting)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only count the messages; change nothing."),
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = algoregister_settings.FEEDBACK_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError(_("--days must be 0 or more."))
        if dry_run:
            count = retention.expired(days=days).count()
            message = ngettext(
                "%(count)d message older than %(days)d days holds personal data.",
                "%(count)d messages older than %(days)d days hold personal data.",
                count,
            )
        else:
            count = retention.remove_expired_personal_data(days=days)
            message = ngettext(
                "Removed the personal data of %(count)d message older than %(days)d days.",
                "Removed the personal data of %(count)d messages older than %(days)d days.",
                count,
            )
        self.stdout.write(message % {"count": count, "days": days})
