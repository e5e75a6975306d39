import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Messages stored for editors follow the active language; these tests read them in English."""
    with translation.override("en"):
        yield
