"""Words explained: the glossary, the filters' and facts box's explanations, linked terms (issue 14, item 3)."""

import html as htmllib
import re

import pytest
from wagtail.models import Locale

from wagtail_algoregister.glossary.matching import Glossary, Term
from wagtail_algoregister.glossary.seed import defaults, seed_locale, translation_key
from wagtail_algoregister.models import GlossaryTerm

from .conftest import in_language, make_entry


REQUIRED_NL = [
    "algoritme",
    "DPIA",
    "IAMA",
    "impacttoets",
    "publicatiecategorie",
    "hoog-risico AI-systeem",
    "impactvolle algoritmes",
    "menselijke tussenkomst",
    "profilering",
    "verwerkingsregister",
    "bezwaar",
    "Woo",
]


def text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def glossary(*terms):
    return Glossary(
        [Term(slug, term, f"Uitleg van {term}.", tuple(forms)) for slug, term, *forms in terms]
    )


# -- shipped and editable -------------------------------------------------------


def test_the_shipped_words_are_in_the_dutch_locale(db):
    dutch = Locale.objects.get(language_code="nl")
    terms = {t.term: t for t in GlossaryTerm.objects.filter(locale=dutch)}
    for word in REQUIRED_NL:
        assert word in terms, word
        definition = terms[word].definition
        # Plain language: a few short sentences.
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", definition) if s]
        assert 1 <= len(sentences) <= 5, word
        assert max(len(s.split()) for s in sentences) <= 25, word


def test_every_shipped_word_has_dutch_and_english(db):
    for item in defaults():
        assert item["nl"]["term"] and item["nl"]["definition"], item["key"]
        assert item["en"]["term"] and item["en"]["definition"], item["key"]


def test_a_new_english_locale_gets_the_english_words_as_translations(english):
    terms = GlossaryTerm.objects.filter(locale=english)
    assert {"algorithm", "DPIA", "human intervention", "objection", "Woo"} <= {
        t.term for t in terms
    }
    dutch = GlossaryTerm.objects.get(locale__language_code="nl", term="bezwaar")
    assert GlossaryTerm.objects.get(locale=english, term="objection").translation_key == (
        dutch.translation_key
    )
    assert dutch.translation_key == translation_key("bezwaar")


def test_editors_changes_are_never_undone(db):
    dutch = Locale.objects.get(language_code="nl")
    GlossaryTerm.objects.filter(locale=dutch, term="Woo").delete()
    GlossaryTerm.objects.filter(locale=dutch, term="DPIA").update(definition="Eigen uitleg.")
    Locale.objects.create(language_code="fy")  # another locale: nothing for it, nothing redone
    assert not GlossaryTerm.objects.filter(locale=dutch, term="Woo").exists()
    assert GlossaryTerm.objects.get(locale=dutch, term="DPIA").definition == "Eigen uitleg."
    assert not GlossaryTerm.objects.filter(locale__language_code="fy").exists()
    # Filling a locale again adds only what is missing.
    assert seed_locale(GlossaryTerm, dutch) == 1


def test_editors_manage_words_as_snippets(admin_client):
    response = admin_client.get("/admin/snippets/wagtail_algoregister/glossaryterm/")
    assert response.status_code == 200
    assert "verwerkingsregister" in response.content.decode()
    response = admin_client.post(
        "/admin/snippets/wagtail_algoregister/glossaryterm/add/",
        {
            "term": "Broncode",
            "variants": "",
            "definition": "De tekst van een computerprogramma.",
            "slug": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = GlossaryTerm.objects.get(term="Broncode")
    assert term.slug == "broncode" and term.locale.language_code == "nl"


# -- finding terms --------------------------------------------------------------


def test_terms_match_whole_words_in_any_case_with_spaces_or_hyphens():
    g = glossary(
        ("hoog-risico-ai-systeem", "hoog-risico AI-systeem", "hoog-risico AI-systemen"),
        ("dpia", "DPIA", "Data Protection Impact Assessment"),
        ("algoritme", "algoritme", "algoritmes"),
        ("impactvolle-algoritmes", "impactvolle algoritmes"),
    )
    assert [t.slug for t in g.find("Hoog-risico AI systeem")] == ["hoog-risico-ai-systeem"]
    assert [t.slug for t in g.find("Data Protection Impact Assessment (DPIA)")] == ["dpia"]
    assert g.find("DPIAS en algoritmesysteem") == []
    # The longest form wins where two start at the same word.
    assert [t.slug for t in g.find("Impactvolle algoritmes en een algoritme")] == [
        "impactvolle-algoritmes",
        "algoritme",
    ]


def test_terms_are_linked_once_and_never_inside_links():
    g = glossary(("dpia", "DPIA"), ("woo", "Woo", "Woo-verzoek"))
    g.url = "/register/glossary/"
    linker = g.linker()
    first = linker.link_html(
        '<p>Wij deden een DPIA &amp; een <a href="https://x.example/woo">Woo</a>-check.</p>'
    )
    assert first == (
        '<p>Wij deden een <a class="ar-term" href="/register/glossary/#term-dpia">DPIA</a> &amp; een '
        '<a href="https://x.example/woo">Woo</a>-check.</p>'
    )
    # The same page: DPIA was linked already; Woo now, the first time outside a link.
    second = linker.link_html("<ul><li>DPIA en een Woo-verzoek</li></ul>")
    assert second == (
        '<ul><li>DPIA en een <a class="ar-term" href="/register/glossary/#term-woo">Woo-verzoek</a></li></ul>'
    )


def test_linking_keeps_text_escaped():
    g = glossary(("dpia", "DPIA"))
    g.url = "/g/"
    assert str(g.linker().link_text("<script>DPIA</script>")) == (
        '&lt;script&gt;<a class="ar-term" href="/g/#term-dpia">DPIA</a>&lt;/script&gt;'
    )
    assert str(g.linker().link_html("<p>1 &lt; 2 en DPIA</p>")) == (
        '<p>1 &lt; 2 en <a class="ar-term" href="/g/#term-dpia">DPIA</a></p>'
    )


# -- on the pages ---------------------------------------------------------------


def test_the_registers_filters_explain_their_words(client, register):
    make_entry(register, slug="a", source_id="a")
    page = text(client.get(register.url))
    facets = re.findall(r'<fieldset class="ar-facet">.*?</fieldset>', page, re.S)
    by_legend = {re.search(r"<legend[^>]*>(.*?)</legend>", f).group(1).strip(): f for f in facets}
    category = by_legend["Publicatiecategorie"]
    assert "<details" in category and "Wat betekenen deze woorden?" in category
    for word in ("publicatiecategorie", "impactvolle algoritmes"):
        assert f"<dt>{word}</dt>" in category
    assessments = by_legend["Impacttoetsen"]
    for word in ("impacttoets", "DPIA", "IAMA"):
        assert f"<dt>{word}</dt>" in assessments
    # Themes use no jargon: nothing to explain.
    assert "<details" not in by_legend["Thema"]
    assert f'href="{register.url}glossary/"' in page


def test_editing_a_word_shows_on_the_register_at_once(client, register):
    make_entry(register, slug="a", source_id="a")
    text(client.get(register.url))  # the listing is now cached
    term = GlossaryTerm.objects.get(locale__language_code="nl", term="DPIA")
    term.definition = "Een nieuwe uitleg van de DPIA."
    term.save()
    assert "Een nieuwe uitleg van de DPIA." in text(client.get(register.url))


def test_the_facts_box_explains_its_words_and_texts_link_them_on_first_use(client, register):
    entry = make_entry(
        register,
        slug="b",
        source_id="b",
        goal="<p>Wij gebruiken dit algoritme om te helpen. Het algoritme leert niet.</p>",
        human_intervention="<p>Er is altijd menselijke tussenkomst. Menselijke tussenkomst is verplicht.</p>",
    )
    page = text(client.get(entry.url))
    lead = page[page.index('class="ar-facts"') : page.index('class="ar-toc"')]
    assert "Wat betekenen deze woorden?" in lead
    for word in ("publicatiecategorie", "impactvolle algoritmes", "DPIA", "IAMA"):
        assert f"<dt>{word}</dt>" in lead, word
    glossary_url = f"{register.url}glossary/"
    assert page.count(f'href="{glossary_url}#term-algoritme"') == 1
    assert page.count(f'href="{glossary_url}#term-menselijke-tussenkomst"') == 1
    # Linked where the page first uses the word in a text, and nowhere after.
    texts = re.findall(r'<div class="ar-rich-text">(.*?)</div>', page, re.S)
    uses = [t for t in texts if re.search(r"\balgoritme\b", t)]
    assert len(uses) >= 2
    assert f'<a class="ar-term" href="{glossary_url}#term-algoritme">algoritme</a>' in uses[0]
    assert not any("#term-algoritme" in t for t in uses[1:])


def test_the_glossary_page(client, register):
    page = text(client.get(f"{register.url}glossary/"))
    assert "<h1" in page and "Begrippen" in page
    for word in REQUIRED_NL:
        term = GlossaryTerm.objects.get(locale__language_code="nl", term=word)
        assert f'<dt id="term-{term.slug}">{word}</dt>' in page
    # A to Z, whatever the case.
    words = re.findall(r'<dt id="term-[^"]+">(.*?)</dt>', page)
    assert words == sorted(words, key=str.casefold)


def test_the_glossary_page_in_english(client, register, english):
    from .test_i18n import translate

    home = register.get_parent().specific
    translate(home, english, title="Home")
    register_en = translate(
        register, english, title="Algorithm register", slug="algorithm-register"
    )
    page = text(client.get(in_language(f"{register_en.url.removeprefix('/en')}glossary/", "en")))
    assert "Words explained" in page
    assert '<dt id="term-human-intervention">human intervention</dt>' in page
    assert "menselijke tussenkomst" not in page
