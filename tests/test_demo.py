"""The example site's demo content."""

from html import escape

from django.core.management import call_command

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard.validation import validate_entry


def load():
    from home.management.commands.load_demo_content import load_data

    return load_data()


def load_english():
    from home.management.commands.load_demo_content import load_english

    return load_english()


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
    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    data = load()
    drafts = [e["name"] for e in data["entries"] if not e.get("live", True)]
    dutch = AlgorithmPage.objects.filter(locale__language_code="nl")
    assert dutch.count() == len(data["entries"])
    assert dutch.live().count() == len(data["entries"]) - len(drafts)
    html = client.get(register.url).content.decode()
    for entry in dutch.live():
        assert escape(entry.title) in html
        assert client.get(entry.url).status_code == 200
    # The English versions: the home page, the register and some entries.
    english = AlgorithmPage.objects.live().filter(locale__language_code="en")
    assert english.count() == len(load_english()["entries"]) >= 3
    register_en = AlgorithmRegisterPage.objects.get(locale__language_code="en")
    html_en = client.get(register_en.url).content.decode()
    assert register_en.url.startswith("/en/")
    for entry in english:
        assert entry.get_parent().pk == register_en.pk
        assert escape(entry.title) in html_en
        assert client.get(entry.url).status_code == 200
        # Every text of the standard was translated: none is the Dutch text.
        source = entry.get_translation(dutch.first().locale)
        for key, definition in standard.input_fields().items():
            if definition.is_rich_text or key in ("name", "description_short", "tags"):
                value = getattr(entry, definition.attribute)
                if value:
                    assert value != getattr(source, definition.attribute), (entry.slug, key)
    assert client.get("/en/").status_code == 200
    for name in drafts:
        assert escape(name) not in html
    care = client.get("/zorg-en-welzijn/")
    assert care.status_code == 200
    # Running it again changes nothing.
    call_command("load_demo_content")
    assert dutch.count() == len(data["entries"])
    assert AlgorithmPage.objects.filter(locale__language_code="en").count() == english.count()
