import datetime

import pytest

from wagtail_algoregister.quality.review import review_state


TODAY = datetime.date(2025, 3, 10)


@pytest.mark.parametrize(
    ("date", "due", "overdue"),
    [
        (None, False, False),
        (datetime.date(2025, 3, 9), True, True),  # yesterday
        (TODAY, True, False),
        (datetime.date(2025, 4, 9), True, False),  # in 30 days
        (datetime.date(2025, 4, 10), False, False),  # in 31 days
    ],
)
def test_review_due_within_30_days(date, due, overdue):
    state = review_state(date, today=TODAY)
    assert state.is_due is due
    assert state.is_overdue is overdue


def test_due_filter_selects_the_same_entries(register):
    from wagtail_algoregister.models import AlgorithmPage
    from wagtail_algoregister.quality.review import due_filter

    from ..conftest import make_entry

    dates = [TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=30)]
    dates += [TODAY + datetime.timedelta(days=31), None]
    for number, date in enumerate(dates):
        page = make_entry(register, slug=f"e{number}", source_id=f"e{number}")
        page.next_review_date = date
        page.save()
    found = AlgorithmPage.objects.filter(due_filter(today=TODAY)).order_by("slug")
    assert [p.slug for p in found] == ["e0", "e1"]
    assert [review_state(p.next_review_date, TODAY).is_due for p in found] == [True, True]
