"""The e-mail that tells the organisation about a resident's message."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from wagtail_algoregister.models import Feedback


logger = logging.getLogger(__name__)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def recipient(feedback: Feedback) -> str:
    """The entry's contact when it is an e-mail address, else the register's notification address."""
    entry = feedback.entry
    contact = (getattr(entry, "contact_email", "") or "").strip() if entry else ""
    if contact and _is_email(contact):
        return contact
    return (feedback.register.notification_email or "").strip()


def _admin_url(feedback) -> str:
    try:
        path = reverse("algoregister_feedback:edit", args=[feedback.pk])
    except NoReverseMatch:
        return ""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}" if base else ""


def notify(feedback: Feedback) -> bool:
    """Send the e-mail about ``feedback``; ``False`` when there is nobody to send it to.

    Written in the site's language (the organisation's), whatever language the
    resident used. The resident's address, when given, is the Reply-To.
    """
    to = recipient(feedback)
    if not to:
        logger.warning(
            "Message %s has no e-mail address to go to: set the register's notification address.",
            feedback.reference,
        )
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "feedback": feedback,
            "reply_days": feedback.register.reply_days,
            "admin_url": _admin_url(feedback),
        }
        subject = " ".join(
            render_to_string("wagtail_algoregister/feedback/email_subject.txt", context).split()
        )
        body = render_to_string("wagtail_algoregister/feedback/email_body.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        reply_to=[feedback.email] if feedback.email else None,
    )
    message.send()
    Feedback.objects.filter(pk=feedback.pk).update(notified_to=to, notified_at=timezone.now())
    return True
