"""Residents report an error or ask a question about an entry (issue 14, item 2)."""

import datetime
import html as htmllib
import io
import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageViewRestriction

from wagtail_algoregister.feedback import retention, spam
from wagtail_algoregister.feedback.tasks import remove_expired_personal_data
from wagtail_algoregister.models import Feedback

from .conftest import call_command_in_english, in_language, make_entry


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def text(response):
    return htmllib.unescape(response.content.decode())


def form_data(entry, *, seconds_ago=10, **fields):
    data = {
        "message": "Het verwerkingsregister linkt naar een pagina die niet bestaat.",
        "name": "Anna de Vries",
        "email": "anna@example.nl",
        "website": "",
        "started": spam.form_token(entry.pk, now=time.time() - seconds_ago),
    }
    data.update(fields)
    return data


def send(client, entry, data, **kwargs):
    return client.post(f"{entry.url}feedback/", data, **kwargs)


def test_the_form_works_without_javascript_and_is_linked_from_the_questions_box(client, entry):
    page = text(client.get(entry.url))
    box = page[page.index('class="ar-section ar-questions"') :]
    box = box[: box.index("</section>")]
    assert f'href="{entry.url}feedback/"' in box
    assert "Meld een fout of stel een vraag" in box

    response = client.get(f"{entry.url}feedback/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    page = text(response)
    assert "<script" not in page[page.index("<main") :]
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    for name in ("message", "name", "email", "started"):
        assert f'name="{name}"' in page
    # The trap for robots: out of sight, out of the tab order, hidden from screen readers.
    trap = page[page.index('class="ar-form__trap"') - 5 :]
    trap = trap[: trap.index("</div>")]
    assert 'aria-hidden="true"' in trap and 'tabindex="-1"' in trap and 'name="website"' in trap
    assert "Wij verwijderen uw naam, e-mailadres en bericht 365 dagen" in page


def test_a_valid_message_is_stored_once_and_sent_once(
    client, entry, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, entry, form_data(entry))
    assert response.status_code == 302
    assert Feedback.objects.count() == 1
    feedback = Feedback.objects.get()
    year = timezone.localtime(feedback.received_at).year
    assert re.fullmatch(rf"AR-{year}-\d{{6}}", feedback.reference)
    assert feedback.entry_id == entry.pk and feedback.register_id == entry.get_parent().pk
    assert feedback.status == Feedback.Status.NEW
    assert feedback.message.startswith("Het verwerkingsregister linkt")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["algoritmes@utrecht.example"]  # the entry's contact
    assert mail.reply_to == ["anna@example.nl"]
    assert feedback.reference in mail.subject and entry.title in mail.subject
    assert "Het verwerkingsregister linkt naar een pagina die niet bestaat." in mail.body
    assert "Anna de Vries" in mail.body
    assert "10 werkdagen" in mail.body  # in the site's language, Dutch
    feedback.refresh_from_db()
    assert feedback.notified_to == "algoritmes@utrecht.example" and feedback.notified_at

    # The acknowledgement: the reference and the reply time the register promises.
    received = client.get(response["Location"])
    assert received.status_code == 200
    page = text(received)
    assert feedback.reference in page
    assert "Wij antwoorden u binnen 10 werkdagen" in page
    assert "no-store" in received["Cache-Control"] or "no-cache" in received["Cache-Control"]


def test_without_an_address_the_acknowledgement_says_no_answer_comes(
    client, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, entry, form_data(entry, email="", name=""))
    page = text(client.get(response["Location"]))
    assert "U heeft geen e-mailadres gegeven" in page
    assert Feedback.objects.get().email == ""


def test_a_made_up_acknowledgement_is_not_shown(client, entry, register):
    other = make_entry(register, slug="ander", source_id="ander")
    assert client.get(f"{entry.url}feedback/received/?ref=AR-2026-999999").status_code == 404
    response = send(client, entry, form_data(entry))
    ref = response["Location"].split("?", 1)[1]
    assert client.get(f"{other.url}feedback/received/?{ref}").status_code == 404


def test_the_honeypot_stores_nothing(client, entry, mailoutbox):
    response = send(client, entry, form_data(entry, website="https://spam.example"))
    assert response.status_code == 200
    assert Feedback.objects.count() == 0 and mailoutbox == []
    page = text(response)
    assert "Uw bericht is nog niet verstuurd" in page
    # Nothing typed is lost.
    assert "Het verwerkingsregister linkt naar een pagina die niet bestaat." in page


def test_a_too_fast_sending_stores_nothing(client, entry, mailoutbox):
    response = send(client, entry, form_data(entry, seconds_ago=0))
    assert response.status_code == 200
    assert Feedback.objects.count() == 0 and mailoutbox == []
    page = text(response)
    assert "Uw bericht werd heel snel verstuurd" in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Fout:" in page
    # A new timestamp: sent again after a moment, it is stored.
    token = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert spam.token_problem(token, entry.pk, now=time.time() + 5) is None


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "old"],
)
def test_a_missing_forged_or_old_timestamp_stores_nothing(client, entry, token):
    if token == "old":
        token = spam.form_token(entry.pk, now=time.time() - 3 * 24 * 3600)
    response = send(client, entry, form_data(entry, started=token))
    assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert "Dit formulier stond lang open" in text(response)


def test_a_timestamp_for_another_entry_is_refused(client, entry, register):
    other = make_entry(register, slug="ander", source_id="ander")
    token = spam.form_token(other.pk, now=time.time() - 10)
    send(client, entry, form_data(entry, started=token))
    assert Feedback.objects.count() == 0


def test_missing_message_and_bad_address_are_named(client, entry):
    response = send(client, entry, form_data(entry, message="   ", email="anna@"))
    page = text(response)
    assert Feedback.objects.count() == 0
    assert '<a href="#id_message">Typ uw bericht.</a>' in page
    assert "Typ een volledig e-mailadres" in page
    assert 'aria-invalid="true"' in page


def test_the_rate_limit_answers_with_a_plain_message(client, entry, settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "FEEDBACK_RATE_LIMIT": (2, 3600),
    }
    for _ in range(2):
        assert send(client, entry, form_data(entry)).status_code == 302
    response = send(client, entry, form_data(entry))
    assert response.status_code == 429
    page = text(response)
    assert "Te veel berichten" in page
    assert "Probeer het over een uur opnieuw." in page
    assert Feedback.objects.count() == 2
    # Another client is not affected.
    assert send(client, entry, form_data(entry), REMOTE_ADDR="192.0.2.7").status_code == 302


def test_a_url_contact_sends_to_the_registers_notification_address(
    client, register, mailoutbox, django_capture_on_commit_callbacks
):
    entry = make_entry(
        register,
        slug="formulier",
        source_id="formulier",
        contact_email="https://utrecht.example/contact",
    )
    register.notification_email = "register-team@utrecht.example"
    register.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, entry, form_data(entry, email=""))
    assert [m.to for m in mailoutbox] == [["register-team@utrecht.example"]]
    assert mailoutbox[0].reply_to == []


def test_with_nowhere_to_send_the_message_is_still_stored(
    client, register, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    entry = make_entry(
        register,
        slug="formulier",
        source_id="formulier",
        contact_email="https://utrecht.example/contact",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(client, entry, form_data(entry))
    assert mailoutbox == []
    feedback = Feedback.objects.get()
    assert feedback.notified_at is None
    assert "notification address" in caplog.text


def test_in_english(client, entry, django_capture_on_commit_callbacks):
    url = in_language(f"{entry.url}feedback/", "en")
    page = text(client.get(url))
    assert "Report an error or ask a question" in page and "Your message" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(entry))
    assert response["Location"].startswith(in_language(entry.url, "en"))
    page = text(client.get(response["Location"]))
    assert "Thank you for your message" in page and "within 10 working days" in page
    assert Feedback.objects.get().language == "en"


def test_a_private_entry_has_no_reachable_form(client, entry):
    PageViewRestriction.objects.create(page=entry, restriction_type="password", password="x")
    response = send(client, entry, form_data(entry))
    assert Feedback.objects.count() == 0
    assert "ar-feedback" not in response.content.decode()


def test_the_retention_command_removes_personal_data_after_the_period(client, entry):
    send(client, entry, form_data(entry))
    send(client, entry, form_data(entry, name="Bert", email="bert@example.nl"))
    old, recent = Feedback.objects.order_by("pk")
    old.internal_note = "Gebeld met mevrouw De Vries."
    old.received_at = timezone.now() - datetime.timedelta(days=366)
    old.save()

    out = io.StringIO()
    call_command_in_english("algoregister_feedback_retention", "--dry-run", stdout=out)
    assert "1 message older than 365 days holds personal data." in out.getvalue()
    assert Feedback.objects.get(pk=old.pk).name == "Anna de Vries"

    call_command("algoregister_feedback_retention")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.message, old.internal_note) == ("", "", "", "")
    assert old.personal_data_removed_at is not None
    assert old.reference and old.entry_id == entry.pk  # still counted
    assert (recent.name, recent.email) == ("Bert", "bert@example.nl")
    # Running again changes nothing; a shorter period reaches the recent message.
    assert retention.remove_expired_personal_data() == 0
    assert retention.remove_expired_personal_data(days=0) == 1


def test_the_retention_task(client, entry, settings):
    send(client, entry, form_data(entry))
    Feedback.objects.update(received_at=timezone.now() - datetime.timedelta(days=40))
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "FEEDBACK_RETENTION_DAYS": 30}
    result = remove_expired_personal_data.enqueue()
    assert result.return_value == 1
    assert Feedback.objects.get().email == ""


# -- the admin's inbox ----------------------------------------------------------


def test_the_inbox_lists_filters_and_records_who_handled_it(
    admin_client, admin_user, client, entry
):
    send(client, entry, form_data(entry))
    feedback = Feedback.objects.get()
    response = admin_client.get("/admin/algoregister_feedback/")
    assert response.status_code == 200
    page = text(response)
    assert feedback.reference in page and entry.title in page
    assert "/admin/algoregister_feedback/new/" not in page
    assert admin_client.get("/admin/algoregister_feedback/new/").status_code == 404
    assert (
        text(admin_client.get("/admin/algoregister_feedback/?status=closed")).count(
            feedback.reference
        )
        == 0
    )
    assert feedback.reference in text(admin_client.get("/admin/algoregister_feedback/?status=new"))

    edit = f"/admin/algoregister_feedback/edit/{feedback.pk}/"
    page = text(admin_client.get(edit))
    assert "Het verwerkingsregister linkt naar een pagina die niet bestaat." in page
    response = admin_client.post(edit, {"status": "answered", "internal_note": "Link hersteld."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.handled_by == admin_user
    assert feedback.handled_at is not None
    # The message itself cannot be changed in the admin.
    admin_client.post(edit, {"status": "closed", "internal_note": "", "message": "Anders"})
    feedback.refresh_from_db()
    assert feedback.message.startswith("Het verwerkingsregister") and feedback.status == "closed"


def test_the_inbox_shows_only_the_registers_a_user_may_edit(
    client, register, home, django_user_model
):
    from wagtail_algoregister.models import AlgorithmRegisterPage

    entry = make_entry(register, slug="een", source_id="een")
    other_register = AlgorithmRegisterPage(
        title="Ander register", slug="ander-register", organisation_name="Gemeente Ander"
    )
    home.add_child(instance=other_register)
    other_register.save_revision().publish()
    other_entry = make_entry(other_register, slug="twee", source_id="twee")
    send(client, entry, form_data(entry))
    send(client, other_entry, form_data(other_entry))
    mine, theirs = Feedback.objects.order_by("pk")

    editors = Group.objects.create(name="Redactie Utrecht")
    editors.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_feedback"),
        Permission.objects.get(codename="view_feedback"),
    )
    GroupPagePermission.objects.create(
        group=editors, page=register, permission=Permission.objects.get(codename="change_page")
    )
    user = django_user_model.objects.create_user("redacteur", password="pw")
    user.groups.add(editors)
    client.force_login(user)
    page = text(client.get("/admin/algoregister_feedback/"))
    assert mine.reference in page and theirs.reference not in page
    assert client.get(f"/admin/algoregister_feedback/edit/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/algoregister_feedback/edit/{theirs.pk}/").status_code in (302, 403)
