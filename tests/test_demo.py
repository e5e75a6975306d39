"""The example site's demo content."""

from html import escape

from django.core.management import call_command

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.validation import validate_entry


def load():
    from home.management.commands.load_demo_content import load_data

    return load_data()


def test_demo_content_passes_the_standards_validation():
    data = load()
    assert len(data["entries"]) >= 12
    for entry in data["entries"]:
        _normalised, errors = validate_entry(entry)
        assert errors == {}, (entry["name"], errors)


def test_demo_content_covers_every_status_and_publication_category():
    entries = load()["entries"]
    for key in ("status", "publication_category"):
        assert {e[key] for e in entries} == set(standard.get(key).permitted_values)


def test_load_demo_content_builds_a_site(db, client):
    call_command("load_demo_content", "--admin")
    register = AlgorithmRegisterPage.objects.get()
    data = load()
    drafts = [e["name"] for e in data["entries"] if not e.get("live", True)]
    assert AlgorithmPage.objects.count() == len(data["entries"])
    assert AlgorithmPage.objects.live().count() == len(data["entries"]) - len(drafts)
    html = client.get(register.url).content.decode()
    for entry in AlgorithmPage.objects.live():
        assert escape(entry.title) in html
        assert client.get(entry.url).status_code == 200
    for name in drafts:
        assert escape(name) not in html
    care = client.get("/zorg-en-welzijn/")
    assert care.status_code == 200
    # Running it again changes nothing.
    call_command("load_demo_content")
    assert AlgorithmPage.objects.count() == len(data["entries"])
