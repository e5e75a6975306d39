"""The register page: cards, full-text search, facets with counts, sorting, pagination, no leaks."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction

from wagtail_algoregister import listing
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conftest import in_language, make_entry


DPIA = {"title": "Data Protection Impact Assessment (DPIA)", "link": ""}
IAMA = {"title": "Impact Assessment Mensenrechten en Algoritmes (IAMA)", "link": ""}
FRAIA = {"title": "Fundamentele Rechten en Algoritme Impact Assessment (FRAIA)", "link": ""}
PRESCAN = {"title": "Pre-scan DPIA", "link": ""}


def add(register, slug, *, publish=True, department="", **overrides):
    """An entry with the conftest's full data, changed by ``overrides``, optionally with a department."""
    page = make_entry(register, publish=False, slug=slug, source_id=slug, **overrides)
    page.department = department
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def get(client, url, language="nl"):
    response = client.get(in_language(url, language))
    assert response.status_code == 200, response.status_code
    return response


def titles(response):
    return [entry.title for entry in response.context["listing"].entries]


def facet(response, key):
    """``{value: count}`` of one facet as the page shows it."""
    for result in response.context["listing"].facets:
        if result.key == key:
            return {option.value: option.count for option in result.options}
    raise KeyError(key)


@pytest.fixture
def varied(register):
    """Five published entries with different statuses, categories, themes, assessments, departments."""
    return [
        add(
            register,
            "schulden",
            name="Vroegsignalering van schulden",
            status="In gebruik",
            publication_category="Impactvolle algoritmes",
            category=["Sociale zekerheid", "Wonen"],
            impacttoetsen_grouping=[DPIA, IAMA],
            department="Sociaal Domein",
        ),
        add(
            register,
            "parkeren",
            name="Parkeerscan",
            description_short="Een scanauto controleert of geparkeerde auto's betaald hebben.",
            goal="<p>Controleren of parkeergeld is betaald.</p>",
            status="In gebruik",
            publication_category="Overige algoritmes",
            category=["Verkeer"],
            impacttoetsen_grouping=[PRESCAN],
            department="Handhaving",
            tags="parkeren",
        ),
        add(
            register,
            "bijstand",
            name="Bijstand heronderzoek",
            description_short="Een model koos dossiers voor een extra controle. Wij zijn gestopt.",
            status="Buiten gebruik",
            publication_category="Hoog-risico AI-systeem",
            category=["Sociale zekerheid", "Werk"],
            impacttoetsen_grouping=[FRAIA],
            department="Sociaal Domein",
        ),
        add(
            register,
            "afval",
            name="Afvalroutes plannen",
            description_short="Sensoren in containers laten zien welke containers vol zijn.",
            status="In ontwikkeling",
            publication_category="Overige algoritmes",
            category=["Natuur en milieu"],
            impacttoetsen_grouping=[],
            tags="afval",
        ),
        add(
            register,
            "woz",
            name="WOZ-waarde berekenen",
            description_short="Een model schat de waarde van woningen.",
            status="In gebruik",
            publication_category="Impactvolle algoritmes",
            category=["Wonen", "Overheidsfinanciën"],
            impacttoetsen_grouping=[DPIA, {"title": "Privacy Quickscan", "link": ""}],
            tags="woz",
        ),
    ]


# -- cards ----------------------------------------------------------------------


def test_cards_show_name_summary_status_category_themes_assessments_and_last_change(
    client, register, varied
):
    response = get(client, register.url)
    text = htmllib.unescape(response.content.decode())
    card = text[text.index("Vroegsignalering van schulden") :]
    card = card[: card.index("</li>")]
    assert "Wij zoeken inwoners met betalingsachterstanden" in card
    for label in ("Status", "Publicatiecategorie", "Thema", "Impacttoetsen", "Laatste wijziging"):
        assert f"<dt>{label}</dt>" in card, label
    assert "In gebruik" in card and "Impactvolle algoritmes" in card
    assert "Wonen, Sociale zekerheid" in card  # the standard's order of themes
    assert "Data Protection Impact Assessment (DPIA), Impact Assessment Mensenrechten" in card
    assert '<time datetime="' in card
    # Default order: by name.
    assert titles(response) == sorted(titles(response), key=str.lower)


def test_cards_and_facets_in_english(client, register, varied):
    text = htmllib.unescape(get(client, register.url, language="en").content.decode())
    assert "In use" in text and "Impactful algorithms" in text and "Social Security" in text


# -- search -----------------------------------------------------------------------


def test_search_finds_entries_by_any_text_field(client, register, varied):
    # Name, short description, a rich-text field, tags, impact assessment titles, department.
    assert titles(get(client, f"{register.url}?q=Parkeerscan")) == ["Parkeerscan"]
    assert titles(get(client, f"{register.url}?q=scanauto")) == ["Parkeerscan"]
    assert titles(get(client, f"{register.url}?q=parkeergeld")) == ["Parkeerscan"]
    assert titles(get(client, f"{register.url}?q=Quickscan")) == ["WOZ-waarde berekenen"]
    assert titles(get(client, f"{register.url}?q=Handhaving")) == ["Parkeerscan"]
    # A theme's label, in English too.
    assert titles(get(client, f"{register.url}?q=Verkeer")) == ["Parkeerscan"]
    assert titles(get(client, f"{register.url}?q=Traffic")) == ["Parkeerscan"]


def test_search_uses_all_words(client, register, varied):
    assert titles(get(client, f"{register.url}?q=scanauto+containers")) == []
    assert titles(get(client, f"{register.url}?q=scanauto+parkeergeld")) == ["Parkeerscan"]


def test_search_combines_with_filters_and_counts_follow(client, register, varied):
    response = get(client, f"{register.url}?q=model")
    assert sorted(titles(response)) == ["Bijstand heronderzoek", "WOZ-waarde berekenen"]
    assert facet(response, "status") == {"Buiten gebruik": 1, "In gebruik": 1}
    response = get(client, f"{register.url}?q=model&status=In+gebruik")
    assert titles(response) == ["WOZ-waarde berekenen"]
    # The status facet counts ignore the status filter itself, not the search.
    assert facet(response, "status") == {"Buiten gebruik": 1, "In gebruik": 1}
    assert facet(response, "publication_category") == {"Impactvolle algoritmes": 1}


def test_searching_sorts_by_relevance_and_can_sort_by_name(client, register, varied):
    response = get(client, f"{register.url}?q=model")
    assert response.context["listing"].sort == "relevance"
    response = get(client, f"{register.url}?q=model&sort=name")
    assert titles(response) == ["Bijstand heronderzoek", "WOZ-waarde berekenen"]
    # Without a search, "relevance" means nothing and falls back to the name.
    assert get(client, f"{register.url}?sort=relevance").context["listing"].sort == "name"


@pytest.mark.parametrize(
    "query",
    [
        "de",
        "!!!",
        "a & b | c",
        "'",
        '"',
        '"schulden',
        "NEAR(a b)",
        "a*",
        "x:y",
        "-a",
        "x" * 500,
        "<script>",
    ],
)
def test_odd_search_terms_never_fail(client, register, varied, query):
    response = client.get(register.url, {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_punctuation_is_ignored_in_searches(client, register, varied):
    assert titles(get(client, f"{register.url}?q=%22Parkeerscan%22")) == ["Parkeerscan"]
    assert titles(get(client, f"{register.url}?q=%21%21%21")) == []


@pytest.mark.postgres
def test_search_stems_dutch_words_on_postgresql(client, register):
    add(
        register,
        "stam",
        name="Schuldhulp",
        description_short="Wij sporen een schuld vroeg op.",
        goal="<p>Het algoritme ordent meldingen.</p>",
        tags="",
    )
    add(
        register,
        "ander",
        name="Parkeerscan",
        description_short="Een scanauto rijdt door de straat.",
        goal="<p>Controle van parkeren.</p>",
        lawful_basis="",
        proportionality="",
        human_intervention="",
        risks="",
        impacttoetsen="",
        source_data="",
        methods_and_models="",
        tags="",
        contact_email="parkeren@utrecht.example",
        website="",
        lawful_basis_grouping=[],
        impacttoetsen_grouping=[],
        source_data_grouping=[],
    )
    # "schulden" and "schuld" share the Dutch stem; so do "algoritmes" and "algoritme".
    assert titles(get(client, f"{register.url}?q=schulden")) == ["Schuldhulp"]
    assert titles(get(client, f"{register.url}?q=meldingen+algoritmes")) == ["Schuldhulp"]


# -- facets -----------------------------------------------------------------------


def test_facets_count_every_value(client, register, varied):
    response = get(client, register.url)
    assert facet(response, "status") == {"In ontwikkeling": 1, "In gebruik": 3, "Buiten gebruik": 1}
    assert facet(response, "publication_category") == {
        "Hoog-risico AI-systeem": 1,
        "Impactvolle algoritmes": 2,
        "Overige algoritmes": 2,
    }
    assert facet(response, "category") == {
        "Natuur en milieu": 1,
        "Overheidsfinanciën": 1,
        "Sociale zekerheid": 2,
        "Verkeer": 1,
        "Werk": 1,
        "Wonen": 2,
    }
    # FRAIA is the IAMA; a pre-scan DPIA is not a DPIA; no rows is "none".
    assert facet(response, "impact_assessment") == {"dpia": 2, "iama": 2, "other": 2, "none": 1}
    assert facet(response, "department") == {"Handhaving": 1, "Sociaal Domein": 2}


def test_themes_are_listed_alphabetically(client, register, varied):
    assert list(facet(get(client, register.url), "category")) == sorted(
        facet(get(client, register.url), "category"), key=str.lower
    )


def test_values_of_one_facet_combine_with_or_and_facets_with_and(client, register, varied):
    response = get(client, f"{register.url}?category=Verkeer&category=Werk")
    assert titles(response) == ["Bijstand heronderzoek", "Parkeerscan"]
    response = get(
        client, f"{register.url}?category=Wonen&status=In+gebruik&impact_assessment=dpia"
    )
    assert titles(response) == ["Vroegsignalering van schulden", "WOZ-waarde berekenen"]
    response = get(client, f"{register.url}?impact_assessment=none")
    assert titles(response) == ["Afvalroutes plannen"]
    response = get(client, f"{register.url}?impact_assessment=other&department=Handhaving")
    assert titles(response) == ["Parkeerscan"]


def test_counts_reflect_the_other_active_filters(client, register, varied):
    response = get(client, f"{register.url}?status=In+gebruik&category=Wonen")
    assert titles(response) == ["Vroegsignalering van schulden", "WOZ-waarde berekenen"]
    # Status counts: among entries with theme Wonen (all statuses).
    assert facet(response, "status") == {"In gebruik": 2}
    # Theme counts: among entries in use (all themes); the chosen theme stays selected.
    assert facet(response, "category") == {
        "Overheidsfinanciën": 1,
        "Sociale zekerheid": 1,
        "Verkeer": 1,
        "Wonen": 2,
    }
    # Other facets: both filters apply.
    assert facet(response, "impact_assessment") == {"dpia": 2, "iama": 1, "other": 1}
    options = {
        o.value: o
        for f in response.context["listing"].facets
        if f.key == "status"
        for o in f.options
    }
    assert options["In gebruik"].selected


def test_a_chosen_value_without_results_stays_visible_to_untick(client, register, varied):
    response = get(client, f"{register.url}?status=Buiten+gebruik&category=Verkeer")
    assert titles(response) == []
    assert facet(response, "status")["Buiten gebruik"] == 0
    assert facet(response, "category")["Verkeer"] == 0
    html = response.content.decode()
    assert 'name="category" value="Verkeer" checked' in html


def test_unknown_filter_values_are_ignored(client, register, varied):
    response = get(
        client, f"{register.url}?status=Kapot&category=Nergens&impact_assessment=x&page=zz"
    )
    assert len(titles(response)) == 5
    assert not response.context["listing"].is_filtered


def test_the_form_is_a_plain_get_form_with_fieldsets_legends_and_a_button(client, register, varied):
    html = get(client, f"{register.url}?status=In+gebruik").content.decode()
    form = re.search(
        r'<form class="ar-filters" id="ar-form" method="get"[^>]*>(.*?)</form>', html, re.S
    )
    assert form, "filter form"
    body = form.group(1)
    assert body.count("<fieldset") == 5 and body.count("<legend") == 5
    assert 'type="submit"' in body
    assert 'name="status" value="In gebruik" checked' in body
    # The search field belongs to the same form, so searching keeps the filters and vice versa.
    html = get(client, f"{register.url}?q=model&status=In+gebruik").content.decode()
    assert re.search(r'<input[^>]*name="q"[^>]*value="model"[^>]*form="ar-form"', html)
    # Every checkbox has a label.
    for checkbox_id in re.findall(r'type="checkbox" id="([^"]+)"', body):
        assert f'<label class="ar-check__label" for="{checkbox_id}">' in body
    # The result count is a heading.
    assert re.search(r'<h2[^>]*id="results"[^>]*>1 algorithm', html) or re.search(
        r'<h2[^>]*id="results"[^>]*>1 algoritme', html
    )


def test_active_filters_have_remove_links_and_a_clear_all_link(client, register, varied):
    response = get(client, f"{register.url}?q=model&status=In+gebruik&category=Wonen")
    active = {f.value: f.remove_url for f in response.context["listing"].active_filters}
    assert active["model"] == f"{register.url}?status=In+gebruik&category=Wonen"
    assert active["In gebruik"] == f"{register.url}?q=model&category=Wonen"
    assert active["Wonen"] == f"{register.url}?q=model&status=In+gebruik"
    html = htmllib.unescape(response.content.decode())
    for url in active.values():
        assert f'href="{url}#results"' in html  # and back on the results
    assert f'<a href="{register.url}">' in html


def test_sorting_by_last_change(client, register, varied):
    varied[0].save_revision().publish()  # Vroegsignalering changes last
    response = get(client, f"{register.url}?sort=changed")
    assert titles(response)[0] == "Vroegsignalering van schulden"
    html = response.content.decode()
    assert '<option value="changed" selected>' in html


# -- pagination -----------------------------------------------------------------------


def test_pagination_keeps_search_filters_and_sort(client, register, settings):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "PAGE_SIZE": 2}
    for number in range(5):
        add(register, f"e{number}", name=f"Algoritme {number}", status="In gebruik")
    response = get(client, f"{register.url}?status=In+gebruik&sort=name")
    assert titles(response) == ["Algoritme 0", "Algoritme 1"]
    listing_ = response.context["listing"]
    assert listing_.count == 5 and listing_.page.paginator.num_pages == 3
    assert listing_.next_url == f"{register.url}?status=In+gebruik&sort=name&page=2"
    html = htmllib.unescape(response.content.decode())
    assert '<nav class="ar-pagination" aria-label=' in html
    assert 'aria-current="page"' in html
    assert titles(get(client, listing_.next_url)) == ["Algoritme 2", "Algoritme 3"]
    # Out of range: the last page.
    assert titles(get(client, f"{register.url}?status=In+gebruik&page=99")) == ["Algoritme 4"]
    # The page number is in the title of later pages.
    assert "(pagina 2 van 3)" in get(
        client, listing_.next_url
    ).content.decode() or "(page 2 of 3)" in (get(client, listing_.next_url).content.decode())


def test_pagination_of_search_results(client, register, settings):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "PAGE_SIZE": 2}
    for number in range(5):
        add(register, f"e{number}", name=f"Zoekbaar {number}")
    first = get(client, f"{register.url}?q=Zoekbaar")
    second = get(client, f"{register.url}?q=Zoekbaar&page=2")
    third = get(client, f"{register.url}?q=Zoekbaar&page=3")
    seen = titles(first) + titles(second) + titles(third)
    assert sorted(seen) == [f"Zoekbaar {n}" for n in range(5)]
    assert first.context["listing"].count == 5


# -- empty results -----------------------------------------------------------------------


def test_empty_results_say_what_was_searched_and_how_to_widen(client, register, varied):
    response = get(client, f"{register.url}?q=onvindbaar&status=In+gebruik", language="en")
    html = htmllib.unescape(response.content.decode())
    assert "0 algorithms found for “onvindbaar”" in html
    assert "We found no algorithms for “onvindbaar” with the filters you chose." in html
    assert "Check the spelling" in html
    # A link that removes the filter, and one that clears everything.
    english = in_language(register.url, "en")
    assert f'href="{english}?q=onvindbaar#results"' in html
    assert f'<a href="{english}">Show all algorithms in this register</a>' in html
    assert "algoritmes@utrecht.example" in html


def test_empty_results_offer_the_search_without_filters(client, register, varied):
    response = get(client, f"{register.url}?q=Parkeerscan&status=Buiten+gebruik", language="en")
    html = htmllib.unescape(response.content.decode())
    assert "Without filters, 1 algorithm matches your search term" in html
    assert f'href="{in_language(register.url, "en")}?q=Parkeerscan">show it</a>' in html


def test_an_empty_register_says_so(client, register):
    html = get(client, register.url, language="en").content.decode()
    assert "This register has no published algorithms yet." in html


# -- no leaks --------------------------------------------------------------------------------


def test_drafts_unpublished_changes_and_private_registers_never_appear(client, home, register):
    add(register, "live", name="Gepubliceerd algoritme", tags="zichtbaar")
    add(register, "draft", name="Geheim concept", tags="geheimwoord", publish=False)
    changed = add(register, "changed", name="Oude titel", tags="")
    changed.title = "Nieuwe geheime titel"
    changed.description_short = "Conceptomschrijving met verborgenwoord."
    changed.save_revision()
    unpublished = add(register, "weg", name="Ingetrokken algoritme", tags="")
    unpublished.unpublish()

    private = AlgorithmRegisterPage(
        title="Intern register", slug="intern", organisation_name="Gemeente Utrecht"
    )
    home.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    add(private, "intern-entry", name="Intern algoritme", tags="geheimwoord")

    response = get(client, register.url)
    html = response.content.decode()
    assert sorted(titles(response)) == ["Gepubliceerd algoritme", "Oude titel"]
    for secret in (
        "Geheim concept",
        "Nieuwe geheime titel",
        "verborgenwoord",
        "Ingetrokken",
        "Intern algoritme",
    ):
        assert secret not in html, secret
    # Search results and facet counts: the same.
    for query in ("geheimwoord", "verborgenwoord", "Nieuwe", "Ingetrokken"):
        response = get(client, f"{register.url}?q={query}")
        assert titles(response) == [], query
    assert titles(get(client, f"{register.url}?q=Oude")) == ["Oude titel"]
    counts = facet(get(client, register.url), "status")
    assert sum(counts.values()) == 2
    # The private register itself asks for a login.
    assert client.get(private.url).status_code == 302


def test_only_this_registers_entries(client, home, register):
    add(register, "mine", name="Van dit register")
    other = AlgorithmRegisterPage(
        title="Ander register", slug="ander", organisation_name="Gemeente Zeist"
    )
    home.add_child(instance=other)
    other.save_revision().publish()
    add(other, "theirs", name="Van een ander register")
    assert titles(get(client, register.url)) == ["Van dit register"]
    assert titles(get(client, f"{register.url}?q=register")) == ["Van dit register"]


# -- queries do not grow with the number of entries ----------------------------------------------


def _queries(client, url):
    client.get(url)  # warm caches (site root paths) first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


URLS = [
    "",
    "?q=schulden",
    "?status=In+gebruik&category=Wonen",
    "?q=schulden&impact_assessment=dpia&sort=changed",
    "?department=Team+1&page=2",
]


def _fill(register, start, stop):
    statuses = ["In gebruik", "In ontwikkeling", "Buiten gebruik"]
    assessments = [[DPIA], [IAMA, PRESCAN], [], [FRAIA, DPIA]]
    for number in range(start, stop):
        add(
            register,
            f"n{number}",
            name=f"Algoritme {number:02d}",
            status=statuses[number % 3],
            category=[["Wonen"], ["Verkeer", "Wonen"], ["Werk"]][number % 3],
            impacttoetsen_grouping=assessments[number % 4],
            department=f"Team {number % 4}",
        )


def test_queries_per_request_do_not_grow_with_the_number_of_entries(client, register):
    _fill(register, 0, 5)
    few = {url: _queries(client, f"{register.url}{url}") for url in URLS}
    _fill(register, 5, 40)
    assert get(client, register.url).context["listing"].count == 40
    many = {url: _queries(client, f"{register.url}{url}") for url in URLS}
    assert few == many
    # And they stay few (two of them are the language switch's: locales, translations).
    assert max(many.values()) <= 17, many


# -- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Data Protection Impact Assessment (DPIA)", "dpia"),
        ("DPIA", "dpia"),
        ("Gegevensbeschermingseffectbeoordeling", "dpia"),
        ("Pre-scan DPIA", "other"),
        ("Impact Assessment Mensenrechten en Algoritmes (IAMA)", "iama"),
        ("Fundamentele Rechten en Algoritme Impact Assessment (FRAIA)", "iama"),
        ("AI Impact Assesment (AIIA)", "other"),
        ("De Ethische Data Assistant (DEDA)", "other"),
    ],
)
def test_assessment_kinds(register, title, kind):
    assert listing.assessment_kind(title) == kind
    page = add(register, "k", impacttoetsen_grouping=[{"title": title, "link": ""}])
    matched = [
        value
        for value in ("dpia", "iama", "other", "none")
        if AlgorithmPage.objects.filter(pk=page.pk)
        .filter(listing.ImpactAssessmentFacet().q([value]))
        .exists()
    ]
    assert matched == [kind]


def test_parse_params_cleans_input():
    from django.http import QueryDict

    params = listing.parse_params(
        QueryDict("q=++veel+++spaties++&status=In+gebruik&status=Onzin&status=In+gebruik&sort=raar")
    )
    assert params.query == "veel spaties"
    assert params.selected["status"] == ["In gebruik"]
    assert params.sort == "" and params.effective_sort == "relevance"
    with translation.override("en"):
        assert params.url("/r/") == "/r/?q=veel+spaties&status=In+gebruik"


# -- the cache of counts and ids (issue 4, item 10) ----------------------------


def counted(response):
    return response.context["listing"].count, facet(response, "status")


def test_cached_listing_follows_publish_unpublish_move_delete_and_restrictions(
    client, home, register
):
    """Counts and results come from the cache between changes, never after one."""
    first = add(register, "een", name="Algoritme een", status="In gebruik")
    second = add(register, "twee", name="Algoritme twee", status="In ontwikkeling")
    assert titles(get(client, "/algoritmeregister/")) == ["Algoritme een", "Algoritme twee"]
    with CaptureQueriesContext(connection) as cold:
        get(client, "/algoritmeregister/")
    # a second request is served from the cache: no aggregate over the entries
    assert not any("COUNT(" in q["sql"] and "FILTER" in q["sql"] for q in cold.captured_queries)

    third = add(register, "drie", name="Algoritme drie", status="In gebruik")  # publish
    response = get(client, "/algoritmeregister/")
    assert titles(response) == ["Algoritme drie", "Algoritme een", "Algoritme twee"]
    assert counted(response) == (3, {"In ontwikkeling": 1, "In gebruik": 2})

    third.unpublish()
    response = get(client, "/algoritmeregister/")
    assert titles(response) == ["Algoritme een", "Algoritme twee"]
    assert counted(response) == (2, {"In ontwikkeling": 1, "In gebruik": 1})

    # a new draft of a published entry changes nothing public
    second.title = "Nog een concept"
    second.save_revision()
    assert titles(get(client, "/algoritmeregister/")) == ["Algoritme een", "Algoritme twee"]
    # ... publishing it does
    second.get_latest_revision().publish()
    assert titles(get(client, "/algoritmeregister/")) == ["Algoritme een", "Nog een concept"]

    other = AlgorithmRegisterPage(title="Ander", slug="ander", organisation_name="Gemeente X")
    home.add_child(instance=other)
    other.save_revision().publish()
    AlgorithmPage.objects.get(pk=first.pk).move(other, pos="last-child")
    response = get(client, "/algoritmeregister/")
    assert titles(response) == ["Nog een concept"]
    assert titles(get(client, "/ander/")) == ["Algoritme een"]

    add(register, "vier", name="Algoritme vier")
    assert titles(get(client, "/algoritmeregister/")) == ["Algoritme vier", "Nog een concept"]
    AlgorithmPage.objects.get(slug="vier").delete()
    assert titles(get(client, "/algoritmeregister/")) == ["Nog een concept"]

    # a view restriction made in code (no page history) still counts
    PageViewRestriction.objects.create(page=second, restriction_type="password", password="x")
    response = get(client, "/algoritmeregister/")
    assert titles(response) == [] and response.context["listing"].count == 0


def test_cached_search_and_filters_follow_changes(client, register):
    add(register, "een", name="Parkeervergunningen toewijzen", status="In gebruik")
    url = "/algoritmeregister/?q=parkeervergunningen&status=In+gebruik"
    assert titles(get(client, url)) == ["Parkeervergunningen toewijzen"]
    assert titles(get(client, url)) == ["Parkeervergunningen toewijzen"]  # cached
    add(register, "twee", name="Parkeervergunningen controleren", status="In gebruik")
    assert sorted(titles(get(client, url))) == [
        "Parkeervergunningen controleren",
        "Parkeervergunningen toewijzen",
    ]
    AlgorithmPage.objects.get(slug="een").unpublish()
    assert titles(get(client, url)) == ["Parkeervergunningen controleren"]


def test_version_stamp_changes_on_every_kind_of_change(register):
    stamp = listing.version_stamp
    before = stamp(AlgorithmRegisterPage.objects.get(pk=register.pk))
    page = add(register, "een")
    after_add = stamp(AlgorithmRegisterPage.objects.get(pk=register.pk))
    assert after_add != before
    page.unpublish()
    after_unpublish = stamp(AlgorithmRegisterPage.objects.get(pk=register.pk))
    assert after_unpublish != after_add
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
    after_restriction = stamp(AlgorithmRegisterPage.objects.get(pk=register.pk))
    assert after_restriction != after_unpublish
    restriction.delete()
    assert stamp(AlgorithmRegisterPage.objects.get(pk=register.pk)) != after_restriction


def test_on_sqlite_search_matches_word_beginnings(client, register):
    """SQLite's index has no stemming: "schuld" finds "schulden", "parkeer" "parkeervergunning"."""
    from django.db import connection

    from wagtail_algoregister.listing.search import matches_word_beginnings

    if connection.vendor != "sqlite":
        assert not matches_word_beginnings()  # PostgreSQL keeps its Dutch stemming
        return
    assert matches_word_beginnings()
    make_entry(register, slug="schulden", source_id="schulden", tags="")
    make_entry(
        register,
        slug="parkeren",
        source_id="parkeren",
        name="Parkeervergunning toekennen",
        description_short="Wij kijken of u een vergunning krijgt.",
        tags="",
    )
    for query, expected in (
        ("schuld", ["Vroegsignalering van schulden"]),
        ("parkeer", ["Parkeervergunning toekennen"]),
        ("parkeer vergun", ["Parkeervergunning toekennen"]),
        ("schuldx", []),
    ):
        response = client.get(register.url, {"q": query})
        assert [entry.title for entry in response.context["listing"].entries] == expected, query
    # Whole words still match anywhere (both entries say "schulden" in their goal).
    response = client.get(register.url, {"q": "schulden"})
    assert len(response.context["listing"].entries) == 2


def test_no_results_lists_each_active_filter_with_a_link_that_removes_it(client, register):
    make_entry(register, slug="a", source_id="a")
    html = htmllib.unescape(
        get(
            client, f"{register.url}?q=onvindbaarwoord&status=In+gebruik&category=Wonen"
        ).content.decode()
    )
    box = html[html.index('<div class="ar-no-results">') :]
    box = box[: box.index("</div>")]
    links = re.findall(r'<li><a href="([^"]+)">.*?</a></li>', box)
    assert f"{register.url}?q=onvindbaarwoord&category=Wonen#results" in links
    assert f"{register.url}?q=onvindbaarwoord&status=In+gebruik#results" in links
    # And the filters form lands on the results after filtering.
    assert f'action="{register.url}#results"' in html
    assert re.search(r'<h2 class="ar-results__heading" id="results" tabindex="-1">', html)


def test_downloads_link_the_catalogue_and_the_feed(client, register):
    html = get(client, register.url).content.decode()
    downloads = html[html.index('<section class="ar-downloads"') :]
    for name in (
        "export.csv",
        "export.xlsx",
        "export.json",
        "feed.atom",
        "catalog.ttl",
        "catalog.jsonld",
        "catalog.rdf",
    ):
        assert f'href="{register.url}{name}"' in downloads, name
    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{register.url}feed.atom"' in html
    )
    for name in ("feed.atom", "catalog.ttl"):
        assert client.get(f"{register.url}{name}").status_code == 200
