"""Drafts: work in progress always saves; publishing and every way out check it all."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.sync.report import URL_NAMESPACE

from .conftest import full_entry, make_entry
from .test_admin import add_url, entry_form_data, errors


def only_a_title(title="Parkeervergunningen", **extra):
    data = {
        "title": title,
        "slug": "parkeervergunningen",  # the browser fills it from the title
        "body": streamfield([]),
        "comments": inline_formset([]),
        **{d.attribute: inline_formset([]) for d in standard.grouping_fields()},
    }
    data.update(extra)
    return nested_form_data(data)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_an_entry_with_only_a_title_saves_as_a_draft(admin_client, register):
    response = admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    assert response.status_code == 302, errors(response)
    page = AlgorithmPage.objects.get()
    assert not page.live
    assert page.title == "Parkeervergunningen"
    assert page.description_short == "" and page.status == ""


def test_a_draft_keeps_values_that_break_the_standards_rules(admin_client, register):
    data = only_a_title(
        begin_date="maart 2024",
        description_short="x" * 450,
        website="www.utrecht.example",
        lars="12345678",
        **{
            "lawful_basis_grouping": inline_formset(
                [{"title": "Algemene wet bestuursrecht", "link": ""}]
            )
        },
    )
    response = admin_client.post(add_url(AlgorithmPage, register), data)
    assert response.status_code == 302, errors(response)
    page = AlgorithmPage.objects.get()
    # Stored as typed: nothing cut off (the date was cut to "maart 2" before).
    assert page.begin_date == "maart 2024"
    assert page.description_short == "x" * 450
    assert page.website == "www.utrecht.example"
    assert page.lars == "12345678"
    assert [(r.title, r.link) for r in page.lawful_basis_grouping.all()] == [
        ("Algemene wet bestuursrecht", "")
    ]


def test_publishing_an_incomplete_entry_is_refused_per_field(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    page = AlgorithmPage.objects.get()
    with translation.override("nl"):
        response = admin_client.post(edit_url(page), only_a_title(**{"action-publish": "publish"}))
    assert response.status_code == 200
    form = response.context["form"]
    required = {d.attribute for d in standard.scalar_fields() if d.required} - {"title"}
    assert required <= set(form.errors)
    # One message per field.
    assert all(len(form.errors[name]) == 1 for name in required)
    page.refresh_from_db()
    assert not page.live


def test_submitting_for_moderation_checks_it_all(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    page = AlgorithmPage.objects.get()
    response = admin_client.post(edit_url(page), only_a_title(**{"action-submit": "submit"}))
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    page.refresh_from_db()
    assert page.current_workflow_state is None


def test_filling_the_fields_publishes_the_draft(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title(title=full_entry()["name"]))
    page = AlgorithmPage.objects.get()
    data = entry_form_data(full_entry(), **{"action-publish": "publish"})
    response = admin_client.post(edit_url(page), data)
    assert response.status_code == 302, errors(response)
    page.refresh_from_db()
    assert page.live and page.status == "In gebruik"


def test_a_live_entry_keeps_its_live_version_while_an_incomplete_draft_waits(
    admin_client, register, client
):
    page = make_entry(register)
    data = entry_form_data(full_entry(), description_short="", status="", slug=page.slug)
    data["description_short"] = ""
    data["status"] = ""
    data["goal"] = rich_text("<p>Nog niet af</p>", features=["ol", "ul"])
    response = admin_client.post(edit_url(page), data)
    assert response.status_code == 302, errors(response)
    page.refresh_from_db()
    assert page.has_unpublished_changes
    # What residents, downloads and catalogue read is the live version.
    assert page.description_short == full_entry()["description_short"]
    assert "Nog niet af" not in client.get(page.url).content.decode()
    register_download = client.get(f"{register.url}export.json/").content.decode()
    assert "Nog niet af" not in register_download
    catalogue = client.get(f"{register.url}catalog.ttl/").content.decode()
    assert "Nog niet af" not in catalogue


def test_an_incomplete_revision_cannot_be_published_another_way(admin_client, register):
    """Bulk publishing or a script publishes the latest revision without the form:
    the page's full clean on a live save refuses it, so it never goes live."""
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    page = AlgorithmPage.objects.get()
    with pytest.raises(ValidationError) as raised:
        page.get_latest_revision().publish()
    assert "status" in raised.value.message_dict
    page.refresh_from_db()
    assert not page.live
    assert not AlgorithmPage.objects.live().exists()


def test_the_flag_never_outlives_the_form(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    page = AlgorithmPage.objects.get()
    revision_page = page.get_latest_revision_as_object()
    assert not hasattr(revision_page, "is_deferred_validation")
    with pytest.raises(ValidationError):
        revision_page.full_clean()


def test_autosave_and_preview_of_an_incomplete_entry_work(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    page = AlgorithmPage.objects.get()
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    response = admin_client.post(preview, only_a_title())
    assert response.status_code == 200
    assert response.json()["is_valid"] is True


def test_smaller_editor_items(admin_client, register):
    """Item 9: distinct column names, a placeholder that is no value, singular item names."""
    make_entry(register)
    with translation.override("nl"):
        html = admin_client.get(add_url(AlgorithmPage, register)).content.decode()
        assert 'placeholder="jjjj-mm"' in html and 'placeholder="2024-03"' not in html
        # Items and the add button use the singular; the heading keeps the standard's title.
        assert "Voeg impacttoets toe" in html and "Voeg Impacttoetsen toe" not in html
        assert "Impacttoetsen" in html
        listing = admin_client.get(reverse("wagtailadmin_explore", args=(register.pk,)))
        text = listing.content.decode()
    assert "Algoritmestatus" in text


def test_editor_messages_name_no_settings(admin_client):
    """Reports speak to editors: no setting names (the README tells developers)."""
    with translation.override("nl"):
        html = admin_client.get(reverse(f"{URL_NAMESPACE}:index")).content.decode()
    assert "WAGTAIL_ALGOREGISTER" not in html and "ORGANISATION_ID" not in html
    assert "Een ontwikkelaar van uw website" in html


def test_the_organisation_picker_can_be_searched(admin_client, register):
    from django.urls import reverse as url

    html = admin_client.get(url("wagtailadmin_pages:edit", args=(register.pk,))).content.decode()
    # A text input with the list as suggestions: the browser filters as one types.
    assert 'list="id_organisation_code-suggestions"' in html
    assert '<option value="gm0344" label="Gemeente Utrecht (gm0344)">' in html
    assert '<select name="organisation_code"' not in html


def test_bulk_publishing_an_incomplete_draft_is_refused_with_a_message(admin_client, register):
    admin_client.post(add_url(AlgorithmPage, register), only_a_title())
    draft = AlgorithmPage.objects.get()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    listing = reverse("wagtailadmin_explore", args=(register.pk,))
    with translation.override("nl"):
        response = admin_client.post(
            f"{url}?id={draft.pk}&next={listing}", {"include_descendants": ""}, follow=True
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Er is niets gepubliceerd" in text and "“Parkeervergunningen”" in text
    draft.refresh_from_db()
    assert not draft.live
