"""What wagtail_algoregister.compat relies on in Wagtail, treebeard or Django: one test per
private API, failing on the version that changes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_algoregister.compat import set_parent
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conftest import make_entry


pytestmark = pytest.mark.django_db


def test_set_parent_spares_treebeards_query_for_the_parent(register):
    entry = make_entry(register)
    page = AlgorithmPage.objects.get(pk=entry.pk)
    parent = AlgorithmRegisterPage.objects.get(pk=register.pk)
    set_parent(page, parent)
    with CaptureQueriesContext(connection) as queries:
        assert page.get_parent() is parent
        assert page.get_parent().specific is parent
    assert queries.captured_queries == []
    # What it spares: a fresh page reads its parent, and its specific page, from the database.
    fresh = AlgorithmPage.objects.get(pk=entry.pk)
    with CaptureQueriesContext(connection) as queries:
        assert fresh.get_parent().specific == parent
    assert len(queries.captured_queries) == 2
    # treebeard's own way to read it again still works
    assert page.get_parent(update=True).pk == parent.pk
