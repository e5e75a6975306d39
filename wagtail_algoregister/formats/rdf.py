"""A small, fast RDF writer: Turtle, JSON-LD and RDF/XML without building an rdflib graph.

The DCAT catalogue (:mod:`wagtail_algoregister.formats.dcat`) has about 70 triples per entry;
rdflib's in-memory store and serialisers manage a few thousand triples a second, too
slow for registers of thousands of entries. Here the triples are given one subject at
a time (``extend(subject, pairs)``) either to a writer of :func:`writer`, which turns
them into text at once (so a large page holds strings, not hundreds of thousands of
small objects that would also keep Python's garbage collector busy), or to a
:class:`Triples`, which collects them in plain Python objects (grouped by subject,
duplicates dropped, in the order they were added) for :func:`serialize` or
:func:`to_graph`. The same triples always give the same bytes.

- IRIs are ``str`` (rdflib's ``URIRef`` and namespace terms are ``str`` too, so they
  can be used as they are), blank nodes :class:`BNode`, literals :class:`Literal`
  (lexical form, language tag, datatype IRI);
- every writer escapes what its syntax needs: Turtle strings (``\\``, ``"``, line
  breaks, control characters) and IRIs (``\\uXXXX`` for characters IRIREF forbids);
  JSON through :mod:`json`; XML text and attributes (including ``\\r``, ``\\n`` and
  ``\\t`` in attributes, which XML parsers would otherwise normalise);
- characters that XML 1.0 cannot carry at all (most C0 control characters) are
  refused with :class:`ValueError` (:func:`clean_text` removes them beforehand;
  the catalogue does so for every literal, in every format alike).

:func:`to_graph` turns the same triples into an rdflib ``Graph``: the reference the
tests compare every writer's output with (as isomorphic graphs).
"""

from __future__ import annotations

import functools
import json
import re
from json.encoder import encode_basestring as _json_string
from typing import NamedTuple

import rdflib


RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"

FORMATS = ("turtle", "json-ld", "xml")


class BNode(str):
    """A blank node, by its label (letters, digits, ``-`` and ``_``; starts with a letter)."""

    __slots__ = ()


class Literal(NamedTuple):
    value: str
    lang: str | None = None
    datatype: str | None = None


_NOT_IRIS = (Literal, BNode)  # any other term is an IRI (str, rdflib's URIRef)


# -- cleaning -------------------------------------------------------------------

# Characters XML 1.0 cannot represent (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters an IRI must not contain (RFC 3987; Turtle's IRIREF forbids the same).
_NOT_IRI = re.compile('[\x00-\x20<>"{}|^`\\\\\x7f]')
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_BNODE_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def clean_text(value: str) -> str:
    """``value`` without the characters no RDF/XML document can carry."""
    return _NOT_XML.sub("", value)


def safe_iri(value: str) -> str:
    """``value`` with the characters an IRI forbids percent-encoded (``>`` -> ``%3E``).

    Everything else (non-ASCII letters, ``%`` itself) stays, so this is idempotent
    and leaves valid IRIs unchanged.
    """
    if not _NOT_IRI.search(value):
        return value
    return _NOT_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), value)


# -- the triples ----------------------------------------------------------------


class Triples:
    """The triples of one document, grouped by subject, without duplicates, in order."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(prefixes)
        self.subjects: dict[str, dict[tuple, None]] = {}

    def add(self, triple):
        """Add ``(subject, predicate, object)``: IRIs as ``str``, :class:`BNode`, :class:`Literal`.

        (rdflib's ``URIRef`` is a ``str`` too and is written alike, but it never equals
        a plain ``str``: the same triple once with each would be written twice, which
        RDF readers take as one.)
        """
        subject, predicate, obj = triple
        pairs = self.subjects.get(subject)
        if pairs is None:
            pairs = self.subjects[subject] = {}
        pairs[(predicate, obj)] = None

    def extend(self, subject, pairs):
        """Add ``(predicate, object)`` pairs of one subject: :meth:`add`, for many at once."""
        existing = self.subjects.get(subject)
        if existing is None:
            self.subjects[subject] = dict.fromkeys(pairs)
        else:
            existing.update(dict.fromkeys(pairs))

    def __len__(self):
        return sum(len(pairs) for pairs in self.subjects.values())

    def __iter__(self):
        for subject, pairs in self.subjects.items():
            for predicate, obj in pairs:
                yield subject, predicate, obj

    def compact(self, iri: str) -> str | None:
        return _compact(self.prefixes, iri)


def _compact(prefixes: dict[str, str], iri: str) -> str | None:
    """``prefix:local`` for an IRI in one of the prefixes' namespaces, else None."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
    return None


def serialize(triples: Triples, fmt: str) -> bytes:
    """The triples as UTF-8 bytes in ``fmt`` (``turtle``, ``json-ld`` or ``xml``)."""
    out = writer(fmt, triples.prefixes)
    for subject, pairs in triples.subjects.items():
        out.extend(subject, pairs)
    return out.getvalue()


def writer(fmt: str, prefixes: dict[str, str]):
    """A writer of ``fmt``: give it each subject's triples once, with :meth:`extend`.

    A writer turns the triples into text as they come, so that a large document
    keeps strings rather than millions of small objects (which would also keep the
    garbage collector busy). Giving one subject twice writes two blocks for it: still
    the same triples to any reader, but :class:`Triples` is the way to merge them.
    """
    if fmt == "turtle":
        return TurtleWriter(prefixes)
    if fmt == "json-ld":
        return JsonLdWriter(prefixes)
    if fmt == "xml":
        return RdfXmlWriter(prefixes)
    raise ValueError(f"unknown RDF format {fmt!r}")


class _Writer:
    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(prefixes)
        self.parts: list[str] = []
        # (predicate, IRI or blank node) -> its text: most recur (types, vocabulary terms,
        # the publisher, the licence). Not literals: most are unique, and a cached one would
        # outlive the page as an object the garbage collector has to trace again and again.
        self.texts: dict = {}

    def add(self, triple):
        subject, predicate, obj = triple
        self.extend(subject, [(predicate, obj)])

    def compact(self, iri: str) -> str | None:
        return _compact(self.prefixes, iri)

    def rendered(self, pairs) -> list:
        """The text of each distinct ``(predicate, object)`` pair (see ``pair()``)."""
        texts, result = self.texts, []
        for pair in dict.fromkeys(pairs):
            text = texts.get(pair)
            if text is None:
                text = self.pair(pair)
                if type(pair[1]) is not Literal:
                    texts[pair] = text
            result.append(text)
        return result


def _check_label(label: str) -> str:
    if not _BNODE_LABEL.fullmatch(label):
        raise ValueError(f"invalid blank node label {label!r}")
    return label


@functools.lru_cache(maxsize=64)
def _check_language(lang: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(lang):
        raise ValueError(f"invalid language tag {lang!r}")
    return lang


# -- Turtle ---------------------------------------------------------------------

_TURTLE_STRING = {c: f"\\u{c:04X}" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}
_TURTLE_IRI = {c: f"\\u{c:04X}" for c in (*range(0x21), *map(ord, '<>"{}|^`\\'))}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TURTLE_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f]')


def _turtle_string(value: str) -> str:
    # str.translate looks up every character: only for the strings that need it.
    if not _TURTLE_SPECIAL.search(value):
        return value
    value = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if _CONTROL.search(value):
        value = value.translate(_TURTLE_STRING)  # nothing else left to escape twice
    return value


def _turtle_iri(value: str) -> str:
    if _NOT_IRI.search(value):
        return value.translate(_TURTLE_IRI)
    return value


_TURTLE_SEPARATOR = " ;\n    "


class TurtleWriter(_Writer):
    def __init__(self, prefixes):
        super().__init__(prefixes)
        self.names: dict[str, str] = {}
        self.parts += [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in self.prefixes.items()]

    def name(self, iri):  # a predicate or a class: prefixed when possible
        text = self.names.get(iri)
        if text is None:
            text = self.names[iri] = self.compact(iri) or f"<{_turtle_iri(iri)}>"
        return text

    def term(self, value):
        if type(value) is Literal:
            text = f'"{_turtle_string(value.value)}"'
            if value.lang:
                return f"{text}@{_check_language(value.lang)}"
            if value.datatype:
                return f"{text}^^{self.name(value.datatype)}"
            return text
        if type(value) is BNode:
            return f"_:{_check_label(value)}"
        return f"<{_turtle_iri(value)}>"

    def pair(self, pair):
        predicate, obj = pair
        if predicate == RDF_TYPE:
            text = f"a {self.term(obj) if type(obj) in _NOT_IRIS else self.name(obj)}"
        else:
            text = f"{self.name(predicate)} {self.term(obj)}"
        return text

    def extend(self, subject, pairs):
        lines = self.rendered(pairs)
        if lines:
            self.parts.append(f"\n{self.term(subject)} {_TURTLE_SEPARATOR.join(lines)} .\n")

    def getvalue(self) -> bytes:
        return "".join(self.parts).encode("utf-8")


# -- JSON-LD --------------------------------------------------------------------


class JsonLdWriter(_Writer):
    """Flattened JSON-LD: one node object per subject, the prefixes as the ``@context``.

    Property names and types are compact IRIs (``dcat:Dataset``); node references
    are full IRIs (``{"@id": ...}``), blank nodes ``_:label``. Written as text, every
    string through :func:`json.encoder.encode_basestring` (JSON's own escaping).
    """

    def __init__(self, prefixes):
        super().__init__(prefixes)
        self.names: dict[str, str] = {}

    def name(self, iri):  # a property or a class, as a JSON string
        text = self.names.get(iri)
        if text is None:
            text = self.names[iri] = _json_string(self.compact(iri) or iri)
        return text

    @staticmethod
    def node_id(value):
        if type(value) is BNode:
            return _json_string(f"_:{_check_label(value)}")
        return _json_string(value)

    def term(self, value):
        if type(value) is Literal:
            text = _json_string(value.value)
            if value.lang:
                return f'{{"@value": {text}, "@language": "{_check_language(value.lang)}"}}'
            if value.datatype:
                return f'{{"@value": {text}, "@type": {_json_string(value.datatype)}}}'
            return f'{{"@value": {text}}}'
        return f'{{"@id": {self.node_id(value)}}}'

    def pair(self, pair):
        predicate, obj = pair
        if predicate == RDF_TYPE and type(obj) not in _NOT_IRIS:
            text = ('"@type"', self.name(obj))
        else:
            text = (self.name(predicate), self.term(obj))
        return text

    def extend(self, subject, pairs):
        properties = {}
        for key, value in self.rendered(pairs):
            values = properties.get(key)
            if values is None:
                properties[key] = [value]
            else:
                values.append(value)
        members = "".join(f", {key}: [{', '.join(values)}]" for key, values in properties.items())
        self.parts.append(f'{{"@id": {self.node_id(subject)}{members}}}')

    def getvalue(self) -> bytes:
        context = json.dumps(self.prefixes, ensure_ascii=False)
        graph = ",\n  ".join(self.parts)
        return f'{{"@context": {context},\n "@graph": [\n  {graph}\n ]}}\n'.encode()


# -- RDF/XML --------------------------------------------------------------------

_XML_SPECIAL = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def _xml_text(value: str) -> str:
    """Element content: ``&``, ``<``, ``>`` and ``\\r`` (a parser would drop a raw CR)."""
    if not _XML_SPECIAL.search(value):
        return value
    if _NOT_XML.search(value):
        raise ValueError("a character XML 1.0 cannot represent")
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _xml_attribute(value: str) -> str:
    """An attribute value in double quotes; line breaks and tabs as character references."""
    if not _XML_SPECIAL.search(value):
        return value
    return _xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class RdfXmlWriter(_Writer):
    """RDF/XML: one ``rdf:Description`` per subject; properties as qualified names."""

    def __init__(self, prefixes):
        super().__init__(prefixes)
        self.namespaces = {"rdf": RDF_NS, **self.prefixes}
        self.qnames: dict[str, str] = {}

    def qname(self, iri):
        text = self.qnames.get(iri)
        if text is None:
            namespaces = self.namespaces
            for prefix, namespace in namespaces.items():
                if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
                    text = f"{prefix}:{iri[len(namespace) :]}"
                    break
            else:  # a namespace of its own: up to the last '#' or '/', a local name after it
                match = re.search(r"[A-Za-z_][A-Za-z0-9_-]*$", iri)
                if not match:
                    raise ValueError(f"{iri!r} cannot be an RDF/XML property")
                prefix = f"ns{len(namespaces)}"
                namespaces[prefix] = iri[: match.start()]
                text = f"{prefix}:{match.group()}"
            self.qnames[iri] = text
        return text

    def pair(self, pair):
        predicate, obj = pair
        tag = self.qname(predicate)
        if type(obj) is Literal:
            text = _xml_text(obj.value)
            if obj.lang:
                attrs = f' xml:lang="{_check_language(obj.lang)}"'
            elif obj.datatype:
                attrs = f' rdf:datatype="{_xml_attribute(obj.datatype)}"'
            else:
                attrs = ""
            text = f"  <{tag}{attrs}>{text}</{tag}>\n"
        elif type(obj) is BNode:
            text = f'  <{tag} rdf:nodeID="{_check_label(obj)}"/>\n'
        else:
            text = f'  <{tag} rdf:resource="{_xml_attribute(obj)}"/>\n'
        return text

    def extend(self, subject, pairs):
        if type(subject) is BNode:
            head = f' <rdf:Description rdf:nodeID="{_check_label(subject)}">\n'
        else:
            head = f' <rdf:Description rdf:about="{_xml_attribute(subject)}">\n'
        body = "".join(self.rendered(pairs))
        self.parts.append(f"{head}{body} </rdf:Description>\n")

    def getvalue(self) -> bytes:
        head = ['<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF']
        head += [
            f'\n   xmlns:{prefix}="{_xml_attribute(ns)}"' for prefix, ns in self.namespaces.items()
        ]
        head.append(">\n")
        return "".join([*head, *self.parts, "</rdf:RDF>\n"]).encode("utf-8")


# -- rdflib ---------------------------------------------------------------------


def to_graph(triples: Triples):
    """The same triples in an rdflib ``Graph`` (slow; for tests and other callers)."""

    graph = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in triples.prefixes.items():
        graph.bind(prefix, rdflib.Namespace(namespace))

    def term(value):
        if type(value) is Literal:
            datatype = rdflib.URIRef(value.datatype) if value.datatype else None
            return rdflib.Literal(value.value, lang=value.lang or None, datatype=datatype)
        if type(value) is BNode:
            return rdflib.BNode(str(value))
        return rdflib.URIRef(value)

    for subject, predicate, obj in triples:
        graph.add((term(subject), rdflib.URIRef(predicate), term(obj)))
    return graph
