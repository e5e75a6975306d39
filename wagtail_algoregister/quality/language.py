"""Plain Dutch (B1): long sentences, long words, jargon and a readability score.

Residents read the register; the national register's editor checks its texts for
language level B1. These checks give the same kind of advice. Every hint points at
its sentence: the quote, and its place (``start``, ``end``) in the field's text as
:func:`field_text` writes it (rich text as one line per paragraph or list item).

Readability is the **Flesch-Douma** score (W.H. Douma, 1960: Flesch's reading ease
refitted for Dutch): ``206.84 - 0.93 * words per sentence - 77 * syllables per word``.
It is the formula ``textstat`` computes for Dutch; textstat itself is not used
because it needs NLTK (which downloads English data at run time), splits sentences
at every full stop (so "o.a." ends a sentence) and ignores short sentences, so its
score and our sentence hints would disagree. Syllables come from the Dutch
hyphenation patterns of ``pyphen`` (OpenTaal), which do not split off a single
letter at either end of a word ("apen", "idee"); a count of vowel groups catches
those, and the larger of the two counts is used. The score is read with Flesch's
own bands (below 30 very hard ... 90 and up very easy); texts for everyone aim at
60 or more. It is an indication: it measures only sentence and word length.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from importlib import resources

import pyphen
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import standard


LONG_SENTENCE = 20  # words; a sentence with more gets a hint
LONG_WORD = 15  # letters; a word with more gets a hint
TARGET_SCORE = 60  # Flesch-Douma: "standard" text and easier

# Abbreviations whose full stop does not end a sentence (lower case, without the last ".").
ABBREVIATIONS = {
    "a.s",
    "afd",
    "art",
    "bijv",
    "blz",
    "bv",
    "c.q",
    "ca",
    "d.m.v",
    "d.w.z",
    "dhr",
    "dr",
    "drs",
    "e.a",
    "e.d",
    "enz",
    "etc",
    "evt",
    "excl",
    "i.c.m",
    "i.p.v",
    "i.v.m",
    "incl",
    "ing",
    "ir",
    "jl",
    "m.b.t",
    "m.i.v",
    "mevr",
    "mr",
    "mld",
    "mln",
    "n.a.v",
    "nr",
    "o.a",
    "p",
    "prof",
    "resp",
    "t.a.v",
    "t.b.v",
    "t.z.t",
    "tel",
    "vs",
    "z.s.m",
    "zgn",
}
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
VOWELS = set("aeiouyáéíóúàèìòùâêîôû")
DIAERESIS = set("äëïöü")
_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»…-–—/*"
_LINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def field_text(value, *, rich_text=True) -> str:
    """The text of a field, one line per paragraph or list item, spaces collapsed."""
    if not value:
        return ""
    value = str(value)
    if rich_text and "<" in value:
        parser = _Blocks()
        parser.feed(value)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(value) if rich_text else value
    lines = (_LINE_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    words: tuple[str, ...]


def words_of(text: str) -> list[tuple[str, int]]:
    """The words of ``text`` with their offsets; web and e-mail addresses are not words."""
    words = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        word = token.strip(_EDGE_PUNCTUATION)
        if not word or "://" in word or "@" in word or word.lower().startswith("www."):
            continue
        if not any(c.isalnum() for c in word):
            continue
        words.append((word, match.start() + token.index(word)))
    return words


def _ends_sentence(line, match):
    """Whether the punctuation ``match`` in ``line`` ends a sentence."""
    after = line[match.end() :]
    if after and not after[0].isspace():
        return False  # "3.5", "o.a", "www.example.nl"
    rest = after.lstrip()
    if rest and rest[0].islower():
        return False  # a sentence starts with a capital, a digit or a quote
    if match.group().startswith("."):
        before = line[: match.start()].rsplit(None, 1)
        token = before[-1].lstrip("([\"'“‘") if before else ""
        if token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            return False
    return True


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` (as :func:`field_text` writes it), with their offsets.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` before a space and a capital (not
    after an abbreviation or an initial), and at the end of a line: a list item or a
    paragraph is a sentence of its own even without a full stop.
    """
    found = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _END.finditer(line):
            if _ends_sentence(line, match):
                found.append((offset + start, offset + match.end()))
                start = match.end()
        found.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    result = []
    for start, end in found:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        start += len(chunk) - len(chunk.lstrip())
        words = tuple(word for word, _offset in words_of(stripped))
        if words:
            result.append(Sentence(stripped, start, start + len(stripped), words))
    return result


@cache
def _hyphenator():
    return pyphen.Pyphen(lang="nl_NL", left=1, right=1)


def _vowel_groups(word: str) -> int:
    count, previous = 0, False
    for char in word.lower():
        is_vowel = char in VOWELS or char in DIAERESIS
        if is_vowel and (not previous or char in DIAERESIS):
            count += 1
        previous = is_vowel
    return count


def syllables(word: str) -> int:
    """The syllables of a Dutch word (a number or code counts as one)."""
    if not any(c.isalpha() for c in word):
        return 1
    parts = [p for p in re.split(r"[-‐/]", word) if p]
    hyphenated = sum(len(_hyphenator().positions(p)) + 1 for p in parts)
    return max(hyphenated, _vowel_groups(word), 1)


def flesch_douma(words: int, sentence_count: int, syllable_count: int) -> float | None:
    if not words or not sentence_count:
        return None
    return 206.84 - 0.93 * (words / sentence_count) - 77 * (syllable_count / words)


LEVELS = (
    (90, _("very easy")),
    (80, _("easy")),
    (70, _("fairly easy")),
    (60, _("standard")),
    (50, _("fairly difficult")),
    (30, _("difficult")),
    (float("-inf"), _("very difficult")),
)


def level(score: float | None):
    """Flesch's words for a score."""
    if score is None:
        return ""
    return next(label for bound, label in LEVELS if score >= bound)


@cache
def jargon() -> dict[str, str]:
    """The shipped list (``data/jargon_nl.tsv``): term (lower case) to plain alternative."""
    text = resources.files(__package__).joinpath("data", "jargon_nl.tsv").read_text("utf-8")
    terms = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, alternative = line.split("\t")
        terms[term.strip().lower()] = alternative.strip()
    return terms


@cache
def _jargon_pattern():
    alternatives = []
    # Longest first, so that "mitigerende maatregelen" wins over "mitigeren".
    for term in sorted(jargon(), key=len, reverse=True):
        stem = term.removesuffix("*")
        pattern = r"\s+".join(re.escape(part) for part in stem.split())
        if term.endswith("*"):
            pattern += r"\w*"
        alternatives.append(pattern)
    # Not inside a word: no letter, digit or "." (abbreviations end in one) around it.
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def _jargon_term(found: str) -> str:
    lowered = " ".join(found.lower().split())
    terms = jargon()
    if lowered in terms:
        return lowered
    return next(
        t
        for t in sorted(terms, key=len, reverse=True)
        if t.endswith("*") and lowered.startswith(t[:-1])
    )


@dataclass(frozen=True)
class Hint:
    """One piece of advice about one sentence of one field."""

    kind: str  # "long_sentence", "long_word" or "jargon"
    key: str
    sentence: str
    start: int  # the sentence's place in the field's text (:func:`field_text`)
    end: int
    word: str = ""
    suggestion: str = ""
    count: int = 0

    @property
    def message(self) -> str:
        if self.kind == "long_sentence":
            return gettext(
                "This sentence has %(count)s words. Make two sentences of it, or leave words out: at most %(limit)s words is easier to read."
            ) % {"count": self.count, "limit": LONG_SENTENCE}
        if self.kind == "long_word":
            return gettext(
                "“%(word)s” is a long word (%(count)s letters). Use a shorter word, or explain it."
            ) % {"word": self.word, "count": self.count}
        return gettext("Write “%(suggestion)s” instead of “%(word)s”.") % {
            "word": self.word,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class TextCheck:
    """The language of one text."""

    key: str
    text: str
    sentences: tuple[Sentence, ...]
    syllables: int
    hints: tuple[Hint, ...]

    @property
    def words(self) -> int:
        return sum(len(s.words) for s in self.sentences)

    @property
    def score(self) -> float | None:
        return flesch_douma(self.words, len(self.sentences), self.syllables)


def check_text(value, *, key="", rich_text=True) -> TextCheck:
    """Check one text (HTML when ``rich_text``) for B1 language."""
    text = field_text(value, rich_text=rich_text)
    found = sentences(text)
    hints = []
    syllable_count = 0
    pattern = _jargon_pattern()
    for sentence in found:
        quote = (key, sentence.text, sentence.start, sentence.end)
        if len(sentence.words) > LONG_SENTENCE:
            hints.append(Hint("long_sentence", *quote, count=len(sentence.words)))
        seen = set()
        for word in sentence.words:
            syllable_count += syllables(word)
            letters = sum(c.isalpha() for c in word)
            if letters > LONG_WORD and word.lower() not in seen:
                seen.add(word.lower())
                hints.append(Hint("long_word", *quote, word=word, count=letters))
        for match in pattern.finditer(sentence.text):
            term = _jargon_term(match.group())
            hints.append(Hint("jargon", *quote, word=match.group(), suggestion=jargon()[term]))
    return TextCheck(key, text, tuple(found), syllable_count, tuple(hints))


def prose_fields() -> list[standard.FieldDef]:
    """Keys of the standard that hold sentences for residents (not names, codes or links)."""
    return [
        d
        for d in standard.input_fields().values()
        if d.is_rich_text
        or (
            d.type == "string"
            and not d.format
            and not d.permitted_values
            and not d.is_grouping
            and (d.max_length or 0) >= 300
        )
    ]


@dataclass(frozen=True)
class LanguageReport:
    texts: tuple[TextCheck, ...] = field(default_factory=tuple)

    @property
    def hints(self) -> list[Hint]:
        return [hint for text in self.texts for hint in text.hints]

    @property
    def words(self) -> int:
        return sum(t.words for t in self.texts)

    @property
    def sentence_count(self) -> int:
        return sum(len(t.sentences) for t in self.texts)

    @property
    def score(self) -> float | None:
        return flesch_douma(self.words, self.sentence_count, sum(t.syllables for t in self.texts))

    @property
    def level(self):
        return level(self.score)

    @property
    def is_plain(self) -> bool:
        score = self.score
        return not self.hints and (score is None or score >= TARGET_SCORE)


def check_language(entry: dict) -> LanguageReport:
    """Check the texts of an entry (national format) for plain Dutch."""
    texts = []
    for definition in prose_fields():
        value = entry.get(definition.key)
        if value:
            texts.append(check_text(value, key=definition.key, rich_text=definition.is_rich_text))
    return LanguageReport(tuple(texts))
