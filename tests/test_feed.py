"""The register's Atom feed of new and changed entries (issue 4, item 7)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from wagtail_algoregister.views import feeds

from .conftest import make_entry


ATOM = "{http://www.w3.org/2005/Atom}"
URL = "/algoritmeregister/feed.atom"


def fetch(client, status=200, **headers):
    response = client.get(URL, **headers)
    assert response.status_code == status, response.content[:500]
    return response


def parse(response):
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def items(feed):
    return feed.findall(f"{ATOM}entry")


def text(element, tag):
    found = element.find(f"{ATOM}{tag}")
    return found.text if found is not None else None


def backdate(page, days):
    """Pretend that ``page`` was last published ``days`` ago."""
    when = page.last_published_at - datetime.timedelta(days=days)
    type(page).objects.filter(pk=page.pk).update(last_published_at=when, first_published_at=when)


def test_feed_is_valid_atom_with_the_entry(client, entry):
    feed = parse(fetch(client))
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    assert text(feed, "title") == "Algoritmeregister"
    assert text(feed, "id") == "http://testserver/algoritmeregister/feed.atom"
    assert text(feed, "updated")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Gemeente Utrecht"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver/algoritmeregister/feed.atom"
    [item] = items(feed)
    assert text(item, "title") == "Vroegsignalering van schulden"
    assert text(item, "id") == entry.identifier_uri
    assert item.find(f"{ATOM}link").get("href") == entry.full_url
    assert text(item, "summary").startswith("Wij zoeken inwoners met betalingsachterstanden")
    updated = datetime.datetime.fromisoformat(text(item, "updated"))
    assert abs(updated - entry.last_published_at) < datetime.timedelta(seconds=1)
    assert {c.get("term") for c in item.findall(f"{ATOM}category")} == {
        "Sociale zekerheid",
        "Zorg en gezondheid",
    }


def test_newest_change_first(client, register):
    old = make_entry(register, slug="oud", name="Oud algoritme", source_id="oud")
    middle = make_entry(register, slug="midden", name="Middelste algoritme", source_id="midden")
    new = make_entry(register, slug="nieuw", name="Nieuw algoritme", source_id="nieuw")
    backdate(old, 10)
    backdate(middle, 5)
    backdate(new, 1)
    titles = [text(i, "title") for i in items(parse(fetch(client)))]
    assert titles == ["Nieuw algoritme", "Middelste algoritme", "Oud algoritme"]
    # republishing the old one makes it the newest change
    old.refresh_from_db()
    old.title = "Oud algoritme, herzien"
    old.save_revision().publish()
    titles = [text(i, "title") for i in items(parse(fetch(client)))]
    assert titles[0] == "Oud algoritme, herzien"


def test_feed_is_limited(client, register, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 3)
    for i in range(5):
        make_entry(register, slug=f"e{i}", source_id=f"e{i}")
    assert len(items(parse(fetch(client)))) == 3


def test_no_drafts_unpublished_changes_or_private_entries(client, register):
    make_entry(register, slug="live", name="Gepubliceerd algoritme", source_id="live")
    make_entry(register, publish=False, slug="concept", name="Geheim concept", source_id="c")
    changed = make_entry(register, slug="gewijzigd", name="Oude titel", source_id="g")
    changed.title = "Nog niet gepubliceerde titel"
    changed.description_short = "Nog niet gepubliceerde samenvatting"
    changed.save_revision()
    private = make_entry(register, slug="prive", name="Besloten algoritme", source_id="p")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    gone = make_entry(register, slug="weg", name="Teruggetrokken algoritme", source_id="weg")
    gone.unpublish()

    response = fetch(client)
    titles = {text(i, "title") for i in items(parse(response))}
    assert titles == {"Gepubliceerd algoritme", "Oude titel"}
    for leak in (b"Geheim concept", b"Nog niet gepubliceerde", b"Besloten", b"Teruggetrokken"):
        assert leak not in response.content


def test_summary_is_text_not_markup(client, register):
    make_entry(
        register,
        slug="tekens",
        source_id="tekens",
        description_short="Vergelijkt huur & inkomen bij de aanvraag.",
    )
    [item] = items(parse(fetch(client)))
    summary = item.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # HTML-escaped once more, so that a reader shows the characters themselves
    assert summary.text == "Vergelijkt huur &amp; inkomen bij de aanvraag."


def test_empty_register_gives_an_empty_feed(client, register):
    feed = parse(fetch(client))
    assert items(feed) == []
    assert text(feed, "updated")


def test_conditional_get(client, entry):
    response = fetch(client)
    fetch(client, status=304, HTTP_IF_NONE_MATCH=response["ETag"])
    assert response["Last-Modified"]


def test_query_count_does_not_grow(client, register):
    for i in range(3):
        make_entry(register, slug=f"a{i}", source_id=f"a{i}")
    fetch(client)
    with CaptureQueriesContext(connection) as few:
        fetch(client)
    for i in range(12):
        make_entry(register, slug=f"b{i}", source_id=f"b{i}")
    with CaptureQueriesContext(connection) as many:
        fetch(client)
    assert len(few) == len(many)


def test_failure_is_never_a_200(client, entry, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(feeds.Atom1Feed, "add_item", broken)
    response = client.get(URL)
    assert response.status_code == 503
    assert b"<feed" not in response.content


@pytest.mark.parametrize("restriction", ["login", "password"])
def test_private_register_has_no_public_feed(client, register, entry, restriction):
    PageViewRestriction.objects.create(
        page=register,
        restriction_type=restriction,
        password="x" if restriction == "password" else "",
    )
    response = client.get(URL)
    assert entry.identifier_uri.encode() not in response.content
    assert b"Vroegsignalering" not in response.content
    assert not response["Content-Type"].startswith("application/atom+xml")
