import pytest
from wagtail.models import Page, Site

from wagtail_algoregister.models import (
    AlgorithmPage,
    AlgorithmRegisterPage,
    ImpactAssessment,
    LawfulBasisLink,
    SourceDataLink,
)


pytest_plugins = ["tests.real_ckan.fixtures"]


def pytest_collection_modifyitems(config, items):
    # Tests that need PostgreSQL features are skipped on SQLite.
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def ensure_wagtail_tree():
    """Wagtail's initial locale, root page and site, which a transactional test's flush removes."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale

    # The flush re-created the content types under new ids.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if not root.get_children().exists():
        root.add_child(instance=Page(title="Welcome", slug="home", live=True))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=root.get_children().first(),
            is_default_site=True,
        )


@pytest.fixture(autouse=True)
def _wagtail_initial_pages(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        ensure_wagtail_tree()


@pytest.fixture
def home(db):
    ensure_wagtail_tree()
    root = Page.get_first_root_node()
    home = root.get_children().first().specific
    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()
    return home


@pytest.fixture
def register(home):
    page = AlgorithmRegisterPage(
        title="Algoritmeregister",
        slug="algoritmeregister",
        organisation_name="Gemeente Utrecht",
        organisation_code="gm0344",
        default_contact_email="algoritmes@utrecht.example",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def full_entry(**overrides):
    """Every input key of the standard, filled with valid values (national format)."""
    entry = {
        "name": "Vroegsignalering van schulden",
        "description_short": "Wij zoeken inwoners met betalingsachterstanden om op tijd hulp aan te bieden.",
        "organization": "Gemeente Utrecht",
        "category": ["Sociale zekerheid", "Zorg en gezondheid"],
        "status": "In gebruik",
        "begin_date": "2023-04",
        "end_date": "",
        "contact_email": "algoritmes@utrecht.example",
        "website": "https://www.utrecht.example/schulden",
        "publication_category": "Impactvolle algoritmes",
        "url": "",
        "goal": "<p>Inwoners met schulden eerder helpen.</p>",
        "proportionality": "<p>De voordelen wegen op tegen de nadelen.</p><ul><li>snel</li><li>eerlijk</li></ul>",
        "human_intervention": "<p>Een medewerker beoordeelt elke signalering.</p>",
        "risks": "<p>Risico op fouten in de gegevens.</p>",
        "lawful_basis": "<p>De Wet gemeentelijke schuldhulpverlening.</p>",
        "lawful_basis_grouping": [
            {
                "title": "Wet gemeentelijke schuldhulpverlening",
                "link": "https://wetten.overheid.nl/BWBR0031048",
            }
        ],
        "process_index_url": "https://www.utrecht.example/verwerkingsregister",
        "impacttoetsen_grouping": [
            {
                "title": "Data Protection Impact Assessment (DPIA)",
                "link": "https://www.utrecht.example/dpia.pdf",
            },
            {"title": "Impact Assessment Mensenrechten en Algoritmes (IAMA)", "link": ""},
        ],
        "impacttoetsen": "<p>Beide toetsen zijn gedaan in 2023.</p>",
        "source_data": "<p>Signalen van woningcorporaties en energieleveranciers.</p>",
        "source_data_grouping": [
            {"title": "Gegevenscatalogus", "link": "https://data.utrecht.example/schulden"}
        ],
        "methods_and_models": "<p>Een regelgebaseerd algoritme; het leert niet zelf.</p>",
        "provider": "Intern ontwikkeld",
        "publiccode": "https://github.com/utrecht-example/vroegsignalering",
        "lang": "nld",
        "standard_version": "1.0",
        "source_id": "utrecht-schulden-1",
        "tags": "schulden, vroegsignalering, armoede",
    }
    entry.update(overrides)
    return entry


LINK_MODELS = {
    "lawful_basis_grouping": LawfulBasisLink,
    "impacttoetsen_grouping": ImpactAssessment,
    "source_data_grouping": SourceDataLink,
}


def make_entry(register, publish=True, slug=None, **overrides):
    from wagtail_algoregister.formats.national import national_to_fields

    attributes, groupings = national_to_fields(full_entry(**overrides))
    page = AlgorithmPage(slug=slug or attributes["source_id"], live=publish, **attributes)
    for attribute, rows in groupings.items():
        setattr(page, attribute, [LINK_MODELS[attribute](**row) for row in rows])
    register.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def entry(register):
    return make_entry(register)


def in_language(url, language):
    """``url`` (a path) in ``language``: the example site prefixes all but Dutch (i18n_patterns)."""
    from django.conf import settings

    return url if language == settings.LANGUAGE_CODE else f"/{language}{url}"


def call_command_in_english(*args, **kwargs):
    """A management command whose output the test reads in English.

    Commands speak the active language; a request through the test client leaves the
    site's (Dutch) active afterwards, so the language is set around the call.
    """
    from django.core.management import call_command
    from django.utils import translation

    with translation.override("en"):
        return call_command(*args, **kwargs)


@pytest.fixture
def english():
    """Messages built outside a command (validation, import notes) in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
