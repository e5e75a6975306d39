"""Quality in the admin: the edit view's tab and the report over the registers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from wagtail_algoregister.models import LinkCheck

from .conftest import make_entry


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


LONG = (
    "Het algoritme berekent op basis van gegevens over betalingsachterstanden bij de "
    "woningcorporatie, de energieleverancier en de zorgverzekeraar welke inwoners mogelijk "
    "hulp nodig hebben bij het oplossen van hun schulden."
)


def broken_link(entry):
    LinkCheck.objects.create(
        page=entry,
        key="lawful_basis_grouping",
        position=1,
        url="https://wetten.example/weg",
        outcome="not_found",
        status=404,
        checked_at=timezone.now(),
    )


def test_the_quality_tab_in_the_edit_view(admin_client, register):
    entry = make_entry(register, goal=f"<p>{LONG}</p>", human_intervention="", risks="")
    entry.next_review_date = timezone.localdate() - datetime.timedelta(days=3)
    entry.save()
    broken_link(entry)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,))).content.decode()
    assert "Kwaliteit" in html
    assert "van de 29 velden van de standaard zijn ingevuld" in html
    # The topics residents need most that are empty, by the standard's labels.
    assert "<li>Menselijke tussenkomst</li>" in html and "<li>Risicobeheer</li>" in html
    assert "Deze zin heeft 29 woorden" in html
    assert "woningcorporatie" in html  # the sentence is quoted
    assert "Flesch-Douma" in html
    assert "De pagina bestaat niet (meer) (foutcode 404)." in html
    assert "De herziening was gepland op" in html


def test_the_report_lists_entries_with_their_quality(admin_client, register):
    good = make_entry(register, slug="goed", source_id="goed", name="Goed algoritme")
    bad = make_entry(
        register, slug="slecht", source_id="slecht", name="Slecht algoritme", goal=f"<p>{LONG}</p>"
    )
    broken_link(bad)
    bad.next_review_date = timezone.localdate() + datetime.timedelta(days=10)
    bad.save()
    url = reverse("algoregister_quality:report")
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Goed algoritme" in html and "Slecht algoritme" in html
    assert "1 werkt niet" in html
    assert "binnenkort" in html
    only_broken = admin_client.get(url, {"problem": "broken"}).content.decode()
    assert "Slecht algoritme" in only_broken and "Goed algoritme" not in only_broken
    review = admin_client.get(url, {"problem": "review"}).content.decode()
    assert "Slecht algoritme" in review and "Goed algoritme" not in review
    assert good.title not in admin_client.get(url, {"problem": "links"}).content.decode()
    export = admin_client.get(url, {"export": "csv"})
    assert export.status_code == 200
    assert "Slecht algoritme" in b"".join(export.streaming_content).decode("utf-8")


def test_the_report_is_for_editors_only(client, register, django_user_model):
    user = django_user_model.objects.create_user("bezoeker", password="pw")
    client.force_login(user)
    response = client.get(reverse("algoregister_quality:report"))
    assert response.status_code in (302, 403)


def test_the_dashboard_panel_links_to_the_work(admin_client, register):
    entry = make_entry(register)
    broken_link(entry)
    entry.next_review_date = timezone.localdate()
    entry.save()
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Algoritmeregisters" in html
    assert "1 herziening is nodig" in html
    assert "1 algoritme heeft links die niet werken" in html
    assert "?problem=broken" in html and "?problem=review" in html
    explore = reverse("wagtailadmin_explore", args=(register.pk,))
    assert f'href="{explore}?status=In+gebruik">1</a>' in html
