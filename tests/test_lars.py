"""The national register's id (LARS code) on an entry, and the link to the national page."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail_algoregister.standard.validation import is_lars, lars_check_digit

from .conftest import make_entry


def with_check_digit(seven):
    return f"{seven}{lars_check_digit(seven)}"


def test_check_digit_as_the_national_register_computes_it():
    # ((d1 + d3 + d5 + d7) * 3 + d2 + d4 + d6) mod 10
    assert lars_check_digit("1234567") == ((1 + 3 + 5 + 7) * 3 + 2 + 4 + 6) % 10
    code = with_check_digit("7654321")
    assert is_lars(code)
    wrong = code[:7] + str((int(code[7]) + 1) % 10)
    assert not is_lars(wrong)


@pytest.mark.parametrize(
    "value", ["", "1234567", "123456789", "1234567a", "١٢٣٤٥٦٧٨", None, 12345678]
)
def test_malformed_codes_are_refused(value):
    assert not is_lars(value)


def test_entry_links_to_its_national_page_when_the_code_is_known(client, register):
    entry = make_entry(register)
    assert entry.national_register_url == ""
    assert (
        "national Algorithm Register"
        not in client.get(entry.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    entry.lars = with_check_digit("5318431")
    entry.full_clean()
    entry.save_revision().publish()
    with translation.override("nl"):
        assert (
            entry.national_register_url
            == f"https://algoritmes.overheid.nl/nl/algoritme/{entry.lars}"
        )
    html = client.get(entry.url).content.decode()
    assert f'href="https://algoritmes.overheid.nl/nl/algoritme/{entry.lars}"' in html
    html = client.get(f"/en{entry.url}").content.decode()
    assert f'href="https://algoritmes.overheid.nl/en/algoritme/{entry.lars}"' in html
    assert "This algorithm in the national Algorithm Register" in html


def test_an_invalid_code_is_refused_with_a_message(register):
    entry = make_entry(register)
    entry.lars = "12345670" if not is_lars("12345670") else "12345671"
    with pytest.raises(ValidationError) as error, translation.override("en"):
        entry.full_clean()
    assert "lars" in error.value.message_dict
    assert "check digit" in error.value.message_dict["lars"][0]


def test_the_code_is_in_the_api(client, register):
    entry = make_entry(register)
    entry.lars = with_check_digit("2468135")
    entry.save_revision().publish()
    response = client.get(f"/api/v2/algorithms/{entry.pk}/")
    assert response.json()["lars"] == entry.lars
