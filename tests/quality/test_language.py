"""Plain Dutch (B1) on real sentences, with results worked out by hand."""

import pytest
from django.utils import translation

from wagtail_algoregister.quality.language import (
    check_language,
    check_text,
    field_text,
    flesch_douma,
    jargon,
    level,
    sentences,
    syllables,
)

from ..conftest import full_entry


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_flesch_douma_of_two_short_sentences():
    # Wij(1) hel-pen(2) in-wo-ners(3) met(1) schul-den(2): 5 words, 9 syllables.
    # Een(1) me-de-wer-ker(4) kijkt(1) naar(1) el-ke(2) mel-ding(2): 6 words, 11 syllables.
    # 206.84 - 0.93 * 11/2 - 77 * 20/11 = 206.84 - 5.115 - 140 = 61.725
    result = check_text(
        "<p>Wij helpen inwoners met schulden. Een medewerker kijkt naar elke melding.</p>"
    )
    assert (result.words, len(result.sentences), result.syllables) == (11, 2, 20)
    assert result.score == pytest.approx(61.725)
    assert str(level(result.score)) == "normaal"
    assert result.hints == ()


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("ook", 1),
        ("apen", 2),  # a-pen: the hyphenation patterns never split off one letter
        ("idee", 2),
        ("ideeën", 3),
        ("theater", 3),
        ("beïnvloeden", 4),
        ("algoritme", 4),
        ("schuldhulpverlening", 5),
        ("gemeentelijke", 5),
        ("e-mail", 2),
        ("2024", 1),
    ],
)
def test_syllables_of_dutch_words(word, count):
    assert syllables(word) == count


def test_flesch_douma_bands():
    assert flesch_douma(0, 0, 0) is None
    # 10 words in one sentence of one syllable each: 206.84 - 9.3 - 77 = 120.54
    assert flesch_douma(10, 1, 10) == pytest.approx(120.54)
    assert str(level(95)) == "zeer makkelijk"
    assert str(level(59.9)) == "redelijk moeilijk"
    assert str(level(10)) == "zeer moeilijk"


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Wij gebruiken o.a. gegevens van de Belastingdienst. Die zijn nodig. Zie art. 4 van de wet! Vraag het J. de Vries. Klopt dat?"
    assert [s.text for s in sentences(text)] == [
        "Wij gebruiken o.a. gegevens van de Belastingdienst.",
        "Die zijn nodig.",
        "Zie art. 4 van de wet!",
        "Vraag het J. de Vries.",
        "Klopt dat?",
    ]


def test_list_items_and_paragraphs_are_sentences_of_their_own():
    html = "<p>Wij gebruiken:</p><ul><li>de BRP</li><li>de inkomensgegevens</li></ul>"
    text = field_text(html)
    assert text == "Wij gebruiken:\nde BRP\nde inkomensgegevens"
    found = sentences(text)
    assert [s.text for s in found] == ["Wij gebruiken:", "de BRP", "de inkomensgegevens"]
    assert text[found[2].start : found[2].end] == "de inkomensgegevens"


LONG = (
    "Het algoritme berekent op basis van gegevens over betalingsachterstanden bij de "
    "woningcorporatie, de energieleverancier en de zorgverzekeraar welke inwoners mogelijk "
    "hulp nodig hebben bij het oplossen van hun schulden."
)


def test_a_sentence_over_20_words_and_its_long_words_are_pointed_out():
    html = f"<p>Wij helpen inwoners met schulden. {LONG}</p>"
    result = check_text(html, key="goal")
    long_sentences = [h for h in result.hints if h.kind == "long_sentence"]
    assert len(long_sentences) == 1
    hint = long_sentences[0]
    assert hint.count == 29
    assert hint.sentence == LONG
    assert result.text[hint.start : hint.end] == LONG
    assert hint.key == "goal"
    assert "29 woorden" in hint.message
    # Over 15 letters: betalingsachterstanden (22), woningcorporatie (16) and
    # energieleverancier (18); zorgverzekeraar has exactly 15.
    long_words = [(h.word, h.count) for h in result.hints if h.kind == "long_word"]
    assert long_words == [
        ("betalingsachterstanden", 22),
        ("woningcorporatie", 16),
        ("energieleverancier", 18),
    ]
    assert all(h.sentence == LONG for h in result.hints)


def test_jargon_with_its_plain_alternative():
    text = "Wij verstrekken de gegevens middels een beveiligde verbinding, teneinde misbruik te voorkomen."
    result = check_text(text, key="description_short", rich_text=False)
    found = [(h.word, h.suggestion) for h in result.hints if h.kind == "jargon"]
    assert found == [("verstrekken", "geven"), ("middels", "met, door"), ("teneinde", "om")]
    assert result.hints[0].message == "Schrijf “geven” in plaats van “verstrekken”."
    assert all(h.sentence == text and h.start == 0 for h in result.hints)


def test_jargon_matches_phrases_word_forms_and_abbreviations_but_not_inside_words():
    text = (
        "Met betrekking tot de aanvraag implementeren wij dit c.q. passen het aan. "
        "Wij kijken naderhand of de uitnodiging klopt."
    )
    found = [h.word for h in check_text(text, rich_text=False).hints if h.kind == "jargon"]
    assert found == ["Met betrekking tot", "implementeren", "c.q."]


def test_the_jargon_list_is_well_formed():
    terms = jargon()
    assert len(terms) >= 60
    assert all(term == term.lower() and alternative for term, alternative in terms.items())


def test_an_entry_is_checked_in_its_prose_fields_only():
    entry = full_entry(goal=f"<p>{LONG}</p>", tags="betalingsachterstanden, woningcorporatie")
    report = check_language(entry)
    keys = {t.key for t in report.texts}
    assert "goal" in keys and "description_short" in keys
    assert "tags" not in keys and "name" not in keys and "website" not in keys
    # full_entry's own texts have long words too (“betalingsachterstanden”, ...).
    assert {h.key for h in report.hints} == {
        "goal",
        "description_short",
        "lawful_basis",
        "source_data",
    }
    assert [h.kind for h in report.hints if h.key == "goal"] == ["long_sentence"] + [
        "long_word"
    ] * 3
    assert not report.is_plain
    assert report.score is not None
