"""Editors create and publish through the real Wagtail admin views."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conftest import full_entry


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client.force_login(user)
    return client


def errors(response):
    """The form's errors, for readable assertion messages."""
    form = response.context and response.context.get("form")
    if form is None:
        return response.content.decode()[:2000]
    return {
        "form": form.errors.as_data(),
        "formsets": {k: f.errors for k, f in form.formsets.items()},
    }


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


def entry_form_data(entry, **extra):
    data = {"slug": "vroegsignalering", "body": streamfield([]), "comments": inline_formset([])}
    lists = {}
    for key, d in standard.input_fields().items():
        value = entry[key]
        if d.is_multiple_choice:
            # Sent as repeated values, as a browser sends checked boxes.
            lists[d.attribute] = value
        elif d.is_grouping:
            data[d.attribute] = inline_formset([dict(row) for row in value])
        elif d.is_rich_text:
            data[d.attribute] = rich_text(value, features=["ol", "ul"])
        else:
            data[d.attribute] = value
    data.update(extra)
    return {**nested_form_data(data), **lists}


def test_create_register_and_entry_through_the_admin_and_read_it(editor, home):
    response = editor.post(
        add_url(AlgorithmRegisterPage, home),
        nested_form_data(
            {
                "title": "Algoritmeregister",
                "slug": "algoritmes",
                "intro": rich_text("<p>Welkom</p>"),
                "organisation_code": "gm0344",
                "organisation_name": "",
                "default_contact_email": "algoritmes@utrecht.example",
                "notification_email": "",
                "reply_days": "10",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, errors(response)
    register = AlgorithmRegisterPage.objects.get(slug="algoritmes")
    assert register.live
    # The name is taken from the packaged list of organisations.
    assert register.organisation_name == "Gemeente Utrecht"

    # A new entry's form starts with the register's organisation and contact.
    form_page = editor.get(add_url(AlgorithmPage, register))
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'value="Gemeente Utrecht"' in html and 'value="algoritmes@utrecht.example"' in html

    entry = full_entry()
    response = editor.post(
        add_url(AlgorithmPage, register), entry_form_data(entry, **{"action-publish": "publish"})
    )
    assert response.status_code == 302, errors(response)
    page = AlgorithmPage.objects.get(slug="vroegsignalering")
    assert page.live and page.title == entry["name"]
    for key, d in standard.input_fields().items():
        stored = page.standard_value(key)
        if d.is_grouping:
            assert stored == entry[key], key
        elif d.is_rich_text:
            # Stored as the standard's HTML: no editor attributes.
            assert stored == entry[key], key
        else:
            assert stored == entry[key], key

    public = editor.get(page.url)
    assert public.status_code == 200
    text = public.content.decode()
    assert entry["name"] in text
    assert "Wet gemeentelijke schuldhulpverlening" in text
    assert "Data Protection Impact Assessment (DPIA)" in text
    assert page.url.startswith(register.url)


def test_validation_errors_name_the_field_and_the_limit(editor, register):
    entry = full_entry(description_short="x" * 401, begin_date="2024-13")
    response = editor.post(
        add_url(AlgorithmPage, register), entry_form_data(entry, **{"action-publish": "publish"})
    )
    assert response.status_code == 200
    text = response.content.decode()
    with translation.override("nl"):
        assert "Korte omschrijving" in text
    assert "400" in text and "401" in text
    assert "2024-13" in text
    assert not AlgorithmPage.objects.exists()


def test_rich_text_editor_offers_only_the_standards_features(editor, register):
    html = editor.get(add_url(AlgorithmPage, register)).content.decode()
    # Draftail is configured per field; the standard's fields allow lists only.
    assert '"ordered-list-item"' in html and '"unordered-list-item"' in html
    assert "wagtail_algoregister/widgets" not in html  # templates resolve, not leak


def test_register_listing_in_admin_filters_by_vocabulary(editor, register):
    from .conftest import make_entry

    make_entry(
        register,
        slug="a",
        name="Parkeerscan",
        status="In gebruik",
        category=["Verkeer"],
        source_id="a",
    )
    make_entry(
        register,
        slug="b",
        name="Chatbot",
        status="In ontwikkeling",
        category=["Organisatie en bedrijfsvoering"],
        source_id="b",
    )
    url = reverse("wagtailadmin_explore", args=(register.pk,))
    assert "Parkeerscan" in editor.get(url).content.decode()
    filtered = editor.get(url, {"status": "In ontwikkeling"}).content.decode()
    assert "Chatbot" in filtered and "Parkeerscan" not in filtered
    by_theme = editor.get(url, {"theme": "Verkeer"}).content.decode()
    assert "Parkeerscan" in by_theme and "Chatbot" not in by_theme


def test_preview_and_revisions_work(editor, entry):
    edit = reverse("wagtailadmin_pages:edit", args=(entry.pk,))
    assert editor.get(edit).status_code == 200
    revisions = reverse("wagtailadmin_pages:history", args=(entry.pk,))
    assert editor.get(revisions).status_code == 200
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(entry.pk,))
    data = entry_form_data(full_entry(name="Nieuwe naam in voorbeeld"))
    assert editor.post(preview, data).json()["is_valid"]
    shown = editor.get(preview).content.decode()
    assert "Nieuwe naam in voorbeeld" in shown
