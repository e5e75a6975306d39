"""The public version history of an entry (issue 14, item 1)."""

import html as htmllib
import json
import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, Revision

from wagtail_algoregister.history.diff import with_context, word_diff
from wagtail_algoregister.history.versions import versions_of
from wagtail_algoregister.models import AlgorithmPage

from .conftest import in_language, make_entry


def text(response):
    return htmllib.unescape(response.content.decode())


def publish(page, **changes):
    page = AlgorithmPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return AlgorithmPage.objects.get(pk=page.pk)


@pytest.fixture
def history(register):
    """Three published versions, then a draft that is never published."""
    entry = make_entry(
        register, slug="schulden", goal="<p>Inwoners met schulden eerder helpen.</p>"
    )
    entry = publish(
        entry,
        goal="<p>Inwoners met schulden veel eerder helpen.</p>",
        change_note="Het doel is duidelijker beschreven.",
    )
    entry = publish(
        entry, risks="<p>Risico op fouten in de gegevens. Wij controleren elke maand.</p>"
    )
    draft = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    draft.goal = "<p>GEHEIM CONCEPT dat nooit is gepubliceerd.</p>"
    draft.change_note = "Concept-toelichting"
    draft.save_revision()
    return AlgorithmPage.objects.get(pk=entry.pk)


def test_word_diff_marks_removed_and_added_words():
    segments = word_diff("De kat zit op de mat.", "De hond zit op de mat.")
    assert [(s.kind, s.text) for s in segments] == [
        ("equal", "De"),
        ("removed", "kat"),
        ("added", "hond"),
        ("equal", "zit op de mat."),
    ]
    assert [s.kind for s in word_diff("", "nieuw")] == ["added"]
    assert word_diff("zelfde", "zelfde")[0].kind == "equal"


def test_long_unchanged_text_is_shortened_around_the_changes():
    words = [f"w{n}" for n in range(100)]
    old = " ".join(words)
    new = " ".join([*words[:50], "NIEUW", *words[50:]])
    segments = with_context(word_diff(old, new), words=3)
    assert [(s.kind, s.text) for s in segments] == [
        ("equal", "… w47 w48 w49"),
        ("added", "NIEUW"),
        ("equal", "w50 w51 w52 …"),
    ]
    # A change at the start keeps the start; nothing changed: nothing shortened.
    assert with_context(word_diff("a b c d e f", "x b c d e f"), words=2)[-1].text == "b c …"
    assert with_context(word_diff(old, old), words=3)[0].text == old


def test_three_published_versions_and_a_draft_shows_three_versions_and_never_the_draft(
    client, history
):
    versions = versions_of(history)
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.is_current for v in versions] == [False, False, True]
    assert versions[1].note == "Het doel is duidelijker beschreven."
    assert [c.part.key for c in versions[1].changes] == ["goal"]
    assert [c.part.key for c in versions[2].changes] == ["risks"]

    response = client.get(f"{history.url}versions/")
    assert response.status_code == 200
    page = text(response)
    assert len(re.findall(r'class="ar-version-item"', page)) == 3
    for number in (1, 2, 3):
        assert f'href="{history.url}versions/{number}/"' in page
    assert "Versie 3" in page and "(de huidige versie)" in page
    assert "Het doel is duidelijker beschreven." in page
    assert "Concept" not in page and "GEHEIM" not in page
    # In plain words, by the standard's labels: what changed in each version.
    assert "Doel en impact" in page and "Risicobeheer" in page
    assert f'href="{history.url}versions/4/"' not in page
    assert client.get(f"{history.url}versions/4/").status_code == 404
    assert client.get(f"{history.url}versions/0/").status_code == 404

    # Version 2 against version 1: a word-level diff, accessible, of the goal only.
    page = text(client.get(f"{history.url}versions/2/"))
    assert "Wat is er veranderd sinds versie 1" in page
    assert re.search(
        r'<ins class="ar-diff__added"><span class="ar-visually-hidden">\[toegevoegd: </span>veel<span',
        page,
    )
    assert "Inwoners met schulden veel eerder helpen." in page  # the version's own text
    assert "Dit is een oude versie" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "GEHEIM" not in page

    page = text(client.get(f"{history.url}versions/3/"))
    assert '<del class="ar-diff__removed">' not in page or "Risicobeheer" in page
    assert "Dit is de huidige versie." in page
    assert "GEHEIM" not in page and "Concept-toelichting" not in page


def test_the_entry_page_links_its_history(client, history):
    page = text(client.get(history.url))
    assert f'href="{history.url}versions/"' in page
    assert "Eerdere versies en wat er is veranderd" in page


def test_versions_in_english(client, history):
    response = client.get(in_language(f"{history.url}versions/2/", "en"))
    page = text(response)
    assert "Version 2 of" in page
    assert "What changed since version 1" in page
    assert "[added: </span>veel" in page


def test_a_private_entrys_versions_are_not_reachable(client, history, django_user_model):
    PageViewRestriction.objects.create(page=history, restriction_type="password", password="x")
    for path in ("versions/", "versions/1/", "versions/3/"):
        response = client.get(f"{history.url}{path}")
        # Wagtail's password form, not the versions.
        assert "ar-version" not in response.content.decode()
        assert "Inwoners met schulden" not in response.content.decode()
    PageViewRestriction.objects.all().delete()
    restriction = PageViewRestriction.objects.create(page=history, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Medewerkers"))
    response = client.get(f"{history.url}versions/")
    assert response.status_code == 302  # to the login page
    assert "versions" not in response.headers.get("Content-Type", "")


def test_a_private_register_hides_its_entries_versions(client, register, history):
    PageViewRestriction.objects.create(page=register, restriction_type="login")
    response = client.get(f"{history.url}versions/2/")
    assert response.status_code == 302


def test_unpublished_entry_has_no_versions_page(client, history):
    history.unpublish()
    assert client.get(f"{history.url}versions/").status_code == 404


def test_purged_revision_keeps_its_number_and_date(client, history):
    versions = versions_of(history)
    Revision.objects.filter(pk=versions[0].revision_id).delete()
    versions = versions_of(history)
    assert [v.number for v in versions] == [1, 2, 3]
    assert not versions[0].is_available and versions[1].changes is None
    page = text(client.get(f"{history.url}versions/"))
    assert "Wij weten niet meer wat er in deze versie is veranderd." in page
    assert client.get(f"{history.url}versions/1/").status_code == 200


def test_the_change_note_belongs_to_one_version(history):
    # Emptied on the live row after publishing, kept in the revision.
    assert AlgorithmPage.objects.get(pk=history.pk).change_note == ""
    entry = publish(history, tags="schulden, hulp")
    versions = versions_of(entry)
    assert [v.note for v in versions] == [
        "",
        "Het doel is duidelijker beschreven.",
        "",
        "Concept-toelichting",  # the draft's note, published with it
    ]


def test_admin_form_offers_an_empty_note_for_a_new_change(admin_client, register):
    entry = make_entry(register, slug="notitie")
    entry = publish(entry, change_note="Eerste toelichting.")
    response = admin_client.get(f"/admin/pages/{entry.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial.get("change_note", "") == ""
    # A draft with a note keeps it until it is published.
    draft = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    draft.change_note = "Nog niet gepubliceerd."
    draft.save_revision()
    response = admin_client.get(f"/admin/pages/{entry.pk}/edit/")
    assert response.context["form"]["change_note"].value() == "Nog niet gepubliceerd."


def test_export_json_with_history(client, history):
    response = client.get(f"{history.url}export.json?history=1")
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert [v["version"] for v in data["history"]] == [1, 2, 3]
    second = data["history"][1]
    assert second["change_note"] == "Het doel is duidelijker beschreven."
    assert second["changed"] == ["goal"]
    assert second["published_at"].endswith("Z")
    assert second["entry"]["goal"] == "<p>Inwoners met schulden veel eerder helpen.</p>"
    assert "GEHEIM" not in json.dumps(data)
    # Without the parameter the download is unchanged.
    plain = json.loads(b"".join(client.get(f"{history.url}export.json").streaming_content))
    assert "history" not in plain
    # The register's download, too; conditional requests tell the two apart.
    register_url = history.get_parent().url
    response = client.get(f"{register_url}export.json?history=1")
    rows = json.loads(b"".join(response.streaming_content))
    assert [len(row["history"]) for row in rows] == [3]
    assert response["ETag"] != client.get(f"{register_url}export.json")["ETag"]


def test_history_of_many_entries_takes_a_fixed_number_of_queries(
    client, register, django_assert_max_num_queries
):
    for number in range(5):
        entry = make_entry(register, slug=f"e{number}", source_id=f"e{number}")
        publish(entry, tags=f"tag{number}")
    with django_assert_max_num_queries(20):
        response = client.get(f"{register.url}export.json?history=1")
        rows = json.loads(b"".join(response.streaming_content))
    assert [len(row["history"]) for row in rows] == [2] * 5


def test_a_scheduled_version_counts_only_once_it_went_live(client, register):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    entry = make_entry(register, slug="gepland", source_id="gepland")
    draft = AlgorithmPage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    draft.goal = "<p>Pas volgende week openbaar.</p>"
    draft.go_live_at = timezone.now() + datetime.timedelta(days=7)
    revision = draft.save_revision()
    revision.publish()  # scheduled: Wagtail logs wagtail.publish.schedule, not a publication
    assert len(versions_of(entry)) == 1
    assert "Pas volgende week" not in text(client.get(f"{entry.url}versions/1/"))

    # A week later (the time in the revision, and Wagtail's own record of it):
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled")
    versions = versions_of(entry)
    assert len(versions) == 2 and versions[1].is_current
    assert [c.part.key for c in versions[1].changes] == ["goal"]
