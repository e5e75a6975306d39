"""Safe copy: Wagtail's Copy makes a new algorithm; a translation stays the same one."""

import pytest
from django.urls import reverse
from django.utils import translation

from wagtail_algoregister.models import AlgorithmPage

from .conftest import make_entry
from .test_i18n import english, translate  # noqa: F401


LARS = "12345670"  # eight digits, the last the check digit over the first seven


def test_lars_fixture_is_valid():
    from wagtail_algoregister.standard.validation import is_lars

    assert is_lars(LARS)


def with_lars(page, lars=LARS):
    page.lars = lars
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def copy_through_the_admin(client, page, slug="kopie", publish=True):
    data = {
        "new_title": "Kopie van " + page.title,
        "new_slug": slug,
        "new_parent_page": page.get_parent().pk,
    }
    if publish:
        data["publish_copies"] = "on"
    response = client.post(reverse("wagtailadmin_pages:copy", args=(page.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AlgorithmPage.objects.get(slug=slug)


def test_a_copy_is_a_new_algorithm(admin_client, register):
    original = with_lars(make_entry(register))
    copy = copy_through_the_admin(admin_client, original)
    assert copy.live
    assert copy.translation_key != original.translation_key
    assert copy.lars == ""
    assert copy.source_id == str(copy.translation_key) != original.source_id
    # Its revisions carry the new values too (reverting brings nothing back).
    assert copy.get_latest_revision_as_object().lars == ""
    for revision in copy.revisions.all():
        assert revision.content.get("lars", "") == ""
        assert revision.content.get("source_id") in ("", str(copy.translation_key))
    original.refresh_from_db()
    assert original.lars == LARS and original.source_id == "utrecht-schulden-1"


def test_a_translation_keeps_its_ids(register, english):  # noqa: F811
    home = register.get_parent().specific
    translate(home, english, title="Home")
    translate(register, english, title="Algorithm register", slug="algorithm-register")
    original = with_lars(make_entry(register))
    translated = translate(original, english, title="Early warning of debts", slug="debts")
    assert translated.translation_key == original.translation_key
    assert translated.lars == LARS
    assert translated.source_id == original.source_id


def test_a_national_id_of_another_entry_is_refused(register):
    with_lars(make_entry(register))
    other = make_entry(register, slug="tweede", source_id="tweede")
    other.lars = LARS
    with translation.override("nl"), pytest.raises(Exception) as raised:
        other.full_clean()
    message = " ".join(raised.value.message_dict["lars"])
    assert "hoort bij een ander algoritme" in message
    assert "Vroegsignalering van schulden" in message
