"""The feedback form of an entry (``feedback/``) and its acknowledgement (``feedback/received/``).

Reached through the entry's routes, after Wagtail served the live page and checked
its view restrictions. Post/redirect/get: a stored message redirects to the
acknowledgement, whose address carries the reference, signed (so nobody can show
a made-up reference on the site).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.feedback import spam
from wagtail_algoregister.feedback.forms import FeedbackForm
from wagtail_algoregister.feedback.tasks import send_feedback_email
from wagtail_algoregister.models import AlgorithmRegisterPage, Feedback


RECEIPT_SALT = "wagtail_algoregister.feedback.received"
RECEIPT_MAX_AGE = 24 * 60 * 60  # seconds the acknowledgement can be shown again


def _register(entry):
    register = entry.register
    if not isinstance(register, AlgorithmRegisterPage):
        raise Http404
    return register


def _render(request, entry, template, context, *, status=200):
    response = entry.render(
        request, template=f"wagtail_algoregister/feedback/{template}", context_overrides=context
    )
    response.status_code = status
    # The form holds a CSRF token and the acknowledgement a reference: never cache.
    add_never_cache_headers(response)
    return response


def _store(request, entry, register, form) -> Feedback:
    data = form.cleaned_data
    feedback = Feedback.objects.create(
        register=register,
        entry=entry,
        entry_title=entry.title[:255],
        entry_url=(entry.get_full_url(request) or "")[:500],
        message=data["message"],
        name=data["name"].strip(),
        email=data["email"].strip(),
        language=get_language() or "",
    )
    # The e-mail goes out in the background, once the message is safely stored.
    transaction.on_commit(lambda: send_feedback_email.enqueue(feedback.pk))
    return feedback


def entry_feedback(request, entry):
    register = _register(entry)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context = {
        "register": register,
        "retention_days": algoregister_settings.FEEDBACK_RETENTION_DAYS,
    }
    if request.method == "POST":
        if spam.over_rate_limit(request):
            return _render(request, entry, "limited.html", context, status=429)
        form = FeedbackForm(request.POST, page=entry)
        if form.is_valid():
            feedback = _store(request, entry, register, form)
            receipt = signing.dumps(
                {"r": feedback.reference, "e": bool(feedback.email), "p": entry.pk},
                salt=RECEIPT_SALT,
            )
            # Relative to this address, so the reader stays in the language they use.
            url = f"{request.path}received/?{urlencode({'ref': receipt})}"
            return HttpResponseRedirect(url)
    else:
        form = FeedbackForm(page=entry)
    context["form"] = form
    return _render(request, entry, "form.html", context)


def feedback_received(request, entry):
    register = _register(entry)
    try:
        receipt = signing.loads(
            request.GET.get("ref", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(receipt, dict) or receipt.get("p") != entry.pk:
        raise Http404
    context = {
        "register": register,
        "reference": receipt.get("r", ""),
        "can_answer": bool(receipt.get("e")),
        "reply_days": register.reply_days,
    }
    return _render(request, entry, "received.html", context)
