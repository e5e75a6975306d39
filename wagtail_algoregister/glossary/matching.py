"""Finding the glossary's terms in text and in (sanitised) HTML.

A term matches as a whole word, in any case, with a space and a hyphen counted as
the same ("hoog-risico AI-systeem" also finds "Hoog-risico AI systeem"); its other
forms (plural, full name of an abbreviation) match too, the longest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe


_SEPARATOR = r"[\s\-\u2010\u2011]+"


def _normalise(text: str) -> str:
    return " ".join(re.split(_SEPARATOR, text.strip())).casefold()


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str
    forms: tuple[str, ...] = ()

    @property
    def anchor(self):
        return f"term-{self.slug}"


def split_variants(text: str) -> list[str]:
    return [form.strip() for form in (text or "").split(",") if form.strip()]


@dataclass
class Glossary:
    """The terms of one language, and where the glossary page is (``url``, may be empty)."""

    terms: list[Term]
    url: str = ""
    _by_form: dict = field(init=False, repr=False)
    _pattern: re.Pattern | None = field(init=False, repr=False)

    def __post_init__(self):
        self._by_form = {}
        for term in self.terms:
            for form in (term.term, *term.forms):
                self._by_form.setdefault(_normalise(form), term)
        forms = sorted(self._by_form, key=len, reverse=True)
        if forms:
            alternatives = "|".join(
                _SEPARATOR.join(re.escape(word) for word in form.split(" ")) for form in forms
            )
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        else:
            self._pattern = None

    def __bool__(self):
        return bool(self.terms)

    def link(self, term: Term) -> str:
        return f"{self.url}#{term.anchor}"

    def matches(self, text: str):
        """``(match, term)`` for each term in ``text``, in order."""
        if self._pattern is None or not text:
            return
        for match in self._pattern.finditer(text):
            term = self._by_form.get(_normalise(match.group(0)))
            if term is not None:
                yield match, term

    def find(self, *texts) -> list[Term]:
        """The distinct terms used in ``texts``, in the order they first appear."""
        found = []
        for text in texts:
            for _match, term in self.matches(str(text or "")):
                if term not in found:
                    found.append(term)
        return found

    def linker(self) -> Linker:
        return Linker(self)


class Linker:
    """Links each term to the glossary page the first time it appears on one page.

    One linker per rendered page: it remembers the terms it has linked.
    """

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self.used: set[str] = set()

    def __bool__(self):
        return bool(self.glossary)

    @property
    def url(self):
        return self.glossary.url

    @property
    def terms(self):
        return self.glossary.terms

    def find(self, *texts) -> list[Term]:
        return self.glossary.find(*texts)

    def link_html(self, html: str) -> str:
        """``html`` (already safe, sanitised HTML) with terms in its text linked.

        Text inside links is left alone. The markup is copied as it was; only text
        is re-escaped, so the result is as safe as the input.
        """
        if not self.glossary or not self.glossary.url or not html:
            return html
        writer = _TermLinker(self)
        writer.feed(str(html))
        writer.close()
        return mark_safe("".join(writer.out))  # noqa: S308 - markup copied, text escaped

    def link_text(self, text: str) -> str:
        """Plain ``text`` escaped, with terms linked."""
        return self.link_html(escape(str(text or ""), quote=False))

    def _linked(self, text: str) -> str:
        out, position = [], 0
        for match, term in self.glossary.matches(text):
            if term.slug in self.used:
                continue
            self.used.add(term.slug)
            out.append(escape(text[position : match.start()], quote=False))
            out.append(
                f'<a class="ar-term" href="{escape(self.glossary.link(term))}">'
                f"{escape(match.group(0), quote=False)}</a>"
            )
            position = match.end()
        out.append(escape(text[position:], quote=False))
        return "".join(out)


class _TermLinker(HTMLParser):
    def __init__(self, linker):
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.out = []
        self.in_link = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.in_link += 1
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "a" and self.in_link:
            self.in_link -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False) if self.in_link else self.linker._linked(data))

    def handle_comment(self, data):
        pass  # sanitised HTML has none; never copied
