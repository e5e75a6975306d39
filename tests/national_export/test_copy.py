"""Copying an entry in the admin makes a new national entry; the original's stays as it was."""

import pytest
from django.urls import reverse

from wagtail_algoregister.models import AlgorithmPage

from .test_sync import record_of, sync


pytestmark = pytest.mark.django_db


def test_a_copy_through_the_admin_gets_its_own_national_entry(
    entry, national, admin_client, django_capture_on_commit_callbacks
):
    assert sync(entry).action == "created"
    original_lars = record_of(entry).remote_id
    original_body = national.algorithms[original_lars].latest["body"]
    national.reset_log()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailadmin_pages:copy", args=(entry.pk,)),
            {
                "new_title": "Vroegsignalering van schulden (Zeist)",
                "new_slug": "vroegsignalering-zeist",
                "new_parent_page": entry.get_parent().pk,
                "publish_copies": "on",
            },
        )
    assert response.status_code == 302
    copy = AlgorithmPage.objects.get(slug="vroegsignalering-zeist")
    assert copy.live and copy.lars != original_lars

    # Publishing the copy queued its upload: a new algorithm there, the original untouched.
    copy_lars = record_of(copy).remote_id
    assert copy_lars and copy_lars != original_lars
    assert national.writes() == [
        ("POST", "/organizations/gm0344/algorithms"),
        ("PUT", f"/organizations/gm0344/algorithms/{copy_lars}/release"),
    ]
    assert national.algorithms[original_lars].latest["body"] == original_body
    assert national.algorithms[copy_lars].latest["body"]["name"] == copy.title
    assert national.algorithms[copy_lars].latest["body"]["source_id"] == str(copy.translation_key)
    entry.refresh_from_db()
    assert entry.lars == original_lars
