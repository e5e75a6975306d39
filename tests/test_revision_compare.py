"""The revision history shows a field as changed only when an editor changed it."""

import html
import re

from django.urls import reverse

from .conftest import full_entry, make_entry
from .test_admin import entry_form_data


def test_saving_untouched_objection_text_changes_nothing(admin_client, register):
    page = make_entry(register)
    page.objection_procedure = "<p>Bezwaar maken kan bij de gemeente.</p>"
    page.save_revision().publish()
    form = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    tag = re.search(r'<input[^>]*name="objection_procedure"[^>]*>', form).group(0)
    data = entry_form_data(full_entry(), slug=page.slug)
    # What the browser sends back for the untouched field: the editor's own content state.
    data["objection_procedure"] = html.unescape(re.search(r' value="([^"]*)"', tag).group(1))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    newer, older = page.revisions.order_by("-created_at", "-pk")[:2]
    assert older.content["objection_procedure"] == newer.content["objection_procedure"]
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, older.pk, newer.pk))
    text = admin_client.get(compare).content.decode()
    assert "Bezwaar en beroep" not in text and "objection and appeal" not in text.lower()
