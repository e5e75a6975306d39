"""Background work of the feedback form: the e-mail, and the removal of old personal data."""

from __future__ import annotations

from django_tasks import task

from wagtail_algoregister.feedback import mail, retention
from wagtail_algoregister.models import Feedback


@task()
def send_feedback_email(feedback_id: int) -> bool:
    """E-mail the organisation about one message (see :func:`.mail.notify`)."""
    feedback = Feedback.objects.select_related("register", "entry").filter(pk=feedback_id).first()
    if feedback is None or not feedback.has_personal_data:
        return False
    return mail.notify(feedback)


@task()
def remove_expired_personal_data() -> int:
    """Run daily (``manage.py algoregister_feedback_retention`` does the same)."""
    return retention.remove_expired_personal_data()
