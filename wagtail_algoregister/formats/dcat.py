"""A register as a DCAT-AP-NL 3.0 catalogue, for harvesters such as CKAN's ckanext-dcat.

:func:`build_catalog` writes one page of the catalogue, subject by subject, to a
writer of :mod:`wagtail_algoregister.formats.rdf` (Turtle, JSON-LD or RDF/XML, without
rdflib) or into a :class:`~wagtail_algoregister.formats.rdf.Triples` (``.graph`` gives those
as an rdflib ``Graph``): the register as a ``dcat:Catalog`` and each published,
public entry on that page as a ``dcat:Dataset`` whose subject URI is its
``dct:identifier``, the entry's stable
:attr:`~wagtail_algoregister.models.AlgorithmPage.identifier_uri`. Harvesters key on
that URI, so renaming or moving an entry never turns into a delete and an add.

Values come from the core's description of an entry as a dataset, which the CKAN
profiles use as well (:mod:`.context`, :mod:`.dataset` and the vocabulary mappings of
:mod:`wagtail_algoregister.standard.mappings`), so a catalogue and a pushed dataset
describe an entry alike: EU data-theme URIs (plus the OWMS themes data.overheid.nl
uses), EU language, file-type, access-right, frequency and dataset-status URIs, IANA
media types, the organisation's TOOI URI as publisher, CC0.

The catalogue conforms to the DCAT-AP 3.0.0 shapes as a harvester sees it, all pages
merged into one graph, with and without RDFS inference (``tests/test_catalog_shacl.py``):
every vocabulary term is a ``skos:Concept`` with its official Dutch and English labels,
in a concept scheme with a title; every web address is a resource (``rdfs:Resource``,
``foaf:Document``), since harvesters do not infer that; and what the catalogue itself
names (its publisher and creator, its contact point, other organisations) has an IRI of
its own, so that every page names the same node and the pages merge into one.

Large registers are paged (``hydra:PagedCollection`` with ``totalItems``,
``itemsPerPage``, ``first``/``last``/``next``/``previous``, the way ckanext-dcat
writes and follows it): ``?page=N``, ``CATALOG_PAGE_SIZE`` entries per page (100);
``next`` links add ``&after=<id>`` so that a walk along them never skips an entry.
A page costs a constant number of queries, however many entries it holds: entries are
read as plain values (no page objects), their link groupings and URLs for the whole
page at once, their contexts made by :func:`.context.entry_context` like those of pages,
and the total is cached under the register's version stamp. What every dataset or
distribution says alike (vocabulary terms, licence, publisher) is made once per page.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Count, Max
from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from wagtail_algoregister import standard
from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.formats import dataset as description
from wagtail_algoregister.formats.context import EntryContext, entry_context
from wagtail_algoregister.formats.downloads import PublicUrls, link_rows
from wagtail_algoregister.formats.rdf import BNode, Literal, Triples, clean_text, safe_iri, to_graph
from wagtail_algoregister.listing import CACHE_TIMEOUT, version_stamp
from wagtail_algoregister.models import AlgorithmPage, identifier_uri
from wagtail_algoregister.standard import mappings
from wagtail_algoregister.standard.validation import is_year_month


ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

# The concept schemes the datasets' themes come from (the catalogue's dcat:themeTaxonomy).
THEME_SCHEMES = (mappings.DATA_THEME.scheme, mappings.OWMS_THEME.scheme)

TEXTS = {
    "nl": {
        "description": "De algoritmes die {organisation} gebruikt, beschreven volgens de "
        "Algoritmeregister Publicatiestandaard {version}.",
        "standard": "Algoritmeregister Publicatiestandaard {version}",
    },
    "en": {
        "description": "The algorithms {organisation} uses, described following the "
        "Algorithm Register Publicatiestandaard {version}.",
        "standard": "Algorithm Register Publicatiestandaard {version}",
    },
}
# Concept labels in these languages (the package's); the vocabularies have both.
LABEL_LANGUAGES = ("nl", "en")


class PageNotFound(Exception):
    """The requested page of the catalogue does not exist."""


@dataclass(frozen=True)
class CatalogPage:
    triples: Triples  # the output: a Triples (.graph), or the rdf.writer() it was given
    number: int  # this page, from 1
    pages: int  # number of pages (at least 1)
    total: int  # published, public entries in the register
    page_size: int
    modified: datetime.datetime | None  # latest publication of the register or an entry
    url: str  # this page's address
    links: dict[str, str]  # first, last, and previous and next where they exist

    @property
    def graph(self):
        """The page as an rdflib ``Graph`` (slow: for tests and other consumers; only
        when built into a :class:`~wagtail_algoregister.formats.rdf.Triples`)."""
        return to_graph(self.triples)


def page_size() -> int:
    """``WAGTAIL_ALGOREGISTER["CATALOG_PAGE_SIZE"]``: datasets per catalogue page (100)."""
    try:
        value = algoregister_settings.CATALOG_PAGE_SIZE
    except AttributeError:  # not (yet) one of conf.DEFAULTS
        value = algoregister_settings.user_settings.get("CATALOG_PAGE_SIZE", DEFAULT_PAGE_SIZE)
    return max(1, min(int(value), MAX_PAGE_SIZE))


def page_url(collection_url: str, number: int, after: int | None = None) -> str:
    url = f"{collection_url}?page={number}"
    return url if after is None else f"{url}&after={after}"


def public_entries(register):
    """The register's published, public entries, in the order they were created.

    Live content only: unpublished changes live in revisions, never in the page row.
    ``public()`` drops entries behind a view restriction on themselves or an ancestor.
    """

    return AlgorithmPage.objects.child_of(register).live().public().order_by("pk")


def catalog_uri(register_url: str) -> str:
    """The catalogue's own URI: its content-negotiated address."""
    return f"{register_url}catalog/"


def build_catalog(
    register,
    *,
    page: int = 1,
    after: int | None = None,
    collection_url: str | None = None,
    output=None,
) -> CatalogPage:
    """Page ``page`` of the register's catalogue, complete.

    The triples go to ``output``: a writer from :func:`wagtail_algoregister.formats.rdf.writer`
    (then ``output.getvalue()`` is the document; each subject is given once, so no
    triple is written twice), or by default a new :class:`Triples` (see :func:`new_graph`).

    ``collection_url`` is the address the paging links point to (``?page=N`` is
    added), e.g. the register's ``catalog.ttl``; by default the catalogue URI.

    Entries are in the order they were created. ``page`` alone counts from the start
    (``first``, ``last`` and ``previous`` links); ``after`` (the ``next`` links carry it)
    continues after the entry with that id instead, so a harvester walking ``next``
    sees every entry that stays published exactly once, even when entries before its
    position are unpublished meanwhile (with offsets, the next page would skip one,
    and ckanext-dcat would delete that dataset and never bring it back).
    Raises :class:`PageNotFound` for a page after the last one (page 1 always exists).
    """
    register_url = register.full_url or ""
    collection_url = collection_url or catalog_uri(register_url)
    size = page_size()

    entries = public_entries(register)  # the view restrictions are read here, once
    stats = catalog_stats(register, entries)
    total = stats["total"]
    pages = max(1, -(-total // size))
    if page < 1 or (after is None and page > pages):
        raise PageNotFound(page)
    rows = entries.values(*_ROW_FIELDS)
    if after is None:
        rows = list(rows[(page - 1) * size : page * size + 1])
    else:
        rows = list(rows.filter(pk__gt=after)[: size + 1])
    more, rows = len(rows) > size, [_Row(values) for values in rows[:size]]
    modified = max(
        (t for t in (stats["modified"], register.last_published_at) if t is not None),
        default=None,
    )

    links = {"first": page_url(collection_url, 1), "last": page_url(collection_url, pages)}
    if page > 1:
        links["previous"] = page_url(collection_url, page - 1)
    if more:
        links["next"] = page_url(collection_url, page + 1, after=rows[-1].pk)

    graph = new_graph() if output is None else output
    builder = _Builder(graph, register, register_url)
    builder.prepare(rows)
    builder.catalog(modified, [_iri(builder.identifier(row)) for row in rows])
    for row in rows:
        builder.dataset(row)
    current = page_url(collection_url, page, after=after)
    _add_paging(graph, current, links, total, size)
    return CatalogPage(graph, page, pages, total, size, modified, current, links)


PREFIXES = {
    "rdf": str(RDF),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "adms": str(ADMS),
    "hydra": str(HYDRA),
    "xsd": str(XSD),
}


class _Vocabulary:
    """Terms of a namespace as plain ``str`` (rdflib's namespaces are slow to look up)."""

    def __init__(self, namespace):
        self._base = str(namespace)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._base + name
        setattr(self, name, value)  # the next lookup is a plain attribute
        return value

    def __getitem__(self, name):
        return self._base + name


_DCAT, _DCTERMS, _FOAF, _RDF, _RDFS, _SKOS, _XSD, _ADMS, _HYDRA, _VCARD = (
    _Vocabulary(ns) for ns in (DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, ADMS, HYDRA, VCARD)
)


def catalog_stats(register, entries=None) -> dict:
    """Number of entries and their latest publication: one aggregate over all entries
    (``entries``: :func:`public_entries`), kept in Django's cache under the register's
    version stamp (which changes with every publication, unpublication, move, deletion or
    view restriction; see :func:`wagtail_algoregister.listing.version_stamp`), so that
    walking a catalogue of many pages does not count every entry again for each page."""

    if entries is None:
        entries = public_entries(register)
    stamp = hashlib.sha256(version_stamp(register).encode()).hexdigest()[:40]
    key = f"wagtail_algoregister:catalog-stats:{stamp}"
    stats = cache.get(key)
    if stats is None:
        stats = entries.aggregate(total=Count("pk"), modified=Max("last_published_at"))
        cache.set(key, stats, CACHE_TIMEOUT)
    return stats


def new_graph() -> Triples:
    """An empty collection of triples with the catalogue's prefixes (see :mod:`.rdf`)."""
    return Triples(PREFIXES)


def _iri(value) -> str:
    """An IRI from data (a URL an editor typed): characters IRIs forbid percent-encoded.
    (Terms that recur on every dataset are made once, by :meth:`_Builder.typed`.)"""
    return safe_iri(str(value))


def _add_paging(graph, current, links, total, size):
    """``hydra:PagedCollection`` (ckanext-dcat follows ``hydra:next``, or ``nextPage``)."""
    pairs = [
        (_RDF.type, _HYDRA.PagedCollection),
        (_HYDRA.totalItems, Literal(str(total), datatype=_XSD.integer)),
        (_HYDRA.itemsPerPage, Literal(str(size), datatype=_XSD.integer)),
    ]
    for name, url in links.items():
        pairs.append((_HYDRA[name], _iri(url)))
        pairs.append((_HYDRA[f"{name}Page"], _iri(url)))  # the older names, still read
    graph.extend(_iri(current), pairs)


def _utc(value: datetime.datetime | None):
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return Literal(value.replace(microsecond=0).isoformat(), datatype=_XSD.dateTime)


def _row_fields() -> tuple[str, ...]:
    return (
        *dict.fromkeys(definition.attribute for definition in standard.scalar_fields()),
        "pk",
        "slug",
        "url_path",
        "translation_key",
        "department",
        "first_published_at",
        "last_published_at",
        "latest_revision_created_at",
        "locale__language_code",
    )


# What a catalogue page reads of each entry: plain values, no model instances (building
# a Wagtail page object costs more than everything the catalogue does with it).
_ROW_FIELDS = _row_fields()


class _Row:
    """One entry's stored (live) values, read by :func:`entry_to_national` like a page:
    ``standard_value(key)`` and the attributes of :data:`_ROW_FIELDS`."""

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.language = values["locale__language_code"] or "nl"
        self.links = {}  # grouping key -> list of row dicts (see exports.link_rows)
        self.full_url = None  # set by _Builder.prepare

    def standard_value(self, key):
        links = self.links.get(key)
        return links if links is not None else getattr(self, _ATTRIBUTES[key])


_ATTRIBUTES = {d.key: d.attribute for d in standard.scalar_fields()}


def _text(language: str) -> dict:
    return TEXTS["en" if (language or "").startswith("en") else "nl"]


class _Builder:
    """Gives the catalogue and its datasets to an output (a :class:`Triples` or an
    :func:`rdf.writer <wagtail_algoregister.formats.rdf.writer>`), each subject once and whole:
    shared nodes (vocabulary terms, agents, licence) are made once per page."""

    def __init__(self, graph, register, register_url: str):
        self.g = graph
        self.register = register
        self.register_url = register_url
        self.catalog_uri = catalog_uri(register_url)
        self.language = register.locale.language_code if register.locale_id else "nl"
        self.organisation = register.organisation_name or ""
        self.typed_nodes = {}  # uri -> node, for typed(): each is written once
        self.agents = {}  # (name, code) -> node, for agent()
        self.publisher = self.agent(self.organisation, register.organisation_code, own=True)
        # Wagtail's URL once per parent, then the parent's plus the slug.
        self.public_urls = PublicUrls(model=AlgorithmPage)
        self.constant_pairs = {}  # language -> what every dataset says (see constants())
        self.distribution_pairs = {}  # what distributions of one kind say alike
        self.web_addresses = {}  # value -> description.is_http_url(value)
        self.tag_names = {}  # (keywords, publication category) -> tag names

    def emit(self, subject, pairs):
        """Write one subject's triples, leaving out the values that are absent (None)."""
        self.g.extend(subject, [(p, o) for p, o in pairs if o is not None])

    def tags(self, context) -> list[str]:
        """The names of :func:`.dataset.tags`, which depend on the entry's keywords and
        publication category alone: computed once per combination."""
        entry = context.entry
        key = (entry.get("tags") or "", entry.get("publication_category") or "")
        names = self.tag_names.get(key)
        if names is None:
            names = self.tag_names[key] = [clean_text(t["name"]) for t in description.tags(context)]
        return names

    def text(self, value, language=None):
        value = " ".join((value or "").split())
        # After the split only non-whitespace controls could be left; isprintable() (C
        # speed) rules them out for almost every text, so the regex seldom runs.
        if value and not value.isprintable():
            value = " ".join(clean_text(value).split())
        return Literal(value, lang=language or self.language) if value else None

    def typed(self, uri, rdf_types, more=()):
        """A URI stated (once per document) to be of the classes DCAT-AP expects, with
        ``more`` (predicate, object) pairs. Every later use of the URI returns the node
        only, so a URI is given one role: a term, a document or an agent."""
        node = self.typed_nodes.get(uri)
        if node is None:
            node = self.typed_nodes[uri] = _iri(uri)
            self.emit(node, [*((_RDF.type, t) for t in rdf_types), *more])
        return node

    def labels(self, texts: dict, predicate):
        return [
            (predicate, Literal(clean_text(texts[language]), lang=language))
            for language in LABEL_LANGUAGES
            if texts.get(language)
        ] or [(predicate, Literal(clean_text(value), lang=lang)) for lang, value in texts.items()]

    def scheme(self, uri):
        """A ``skos:ConceptScheme`` of :mod:`~wagtail_algoregister.standard.mappings`,
        with its title."""
        node = self.typed_nodes.get(uri)
        if node is None:
            vocabulary = mappings.scheme(uri)
            title = self.labels(vocabulary.title, _DCTERMS.title) if vocabulary else []
            node = self.typed(uri, (_SKOS.ConceptScheme,), title)
        return node

    def concept(self, uri, rdf_type=None):
        """A term of a vocabulary: a ``skos:Concept`` (and ``rdf_type``, the class DCAT-AP
        gives the property's values) with its Dutch and English labels, in its scheme."""
        node = self.typed_nodes.get(uri)
        if node is None:
            concept = mappings.concept(uri)
            types = (_SKOS.Concept,) if rdf_type is None else (_SKOS.Concept, rdf_type)
            more = []
            if concept is not None:
                more = [
                    *self.labels(concept.labels, _SKOS.prefLabel),
                    (_SKOS.inScheme, self.scheme(concept.scheme)),
                ]
            node = self.typed(uri, types, more)
        return node

    def document(self, url):
        """A web address: a ``foaf:Document`` and, for harvesters that do not infer it, an
        ``rdfs:Resource`` (the class DCAT-AP gives URLs such as dcat:accessURL)."""
        node = self.typed_nodes.get(url)
        if node is None:
            node = self.typed(url, (_FOAF.Document, _RDFS.Resource))
        return node

    def agent(self, name: str, code: str = "", own: bool = False):
        """A ``foaf:Agent``: the TOOI URI of the organisation code, else an IRI of the
        catalogue's own (its publisher, or another organisation by name), the same on
        every page, so that the pages merge into one agent."""
        code = (code or "").strip().lower()
        node = self.agents.get((name, code))
        if node is not None:
            return node
        uri = mappings.organisation_uri(code)
        if not uri:
            uri = f"{self.catalog_uri}#publisher" if own else self.local_uri("agent", name)
        publisher_type = mappings.PUBLISHER_TYPES.get(mappings.organisation_kind(code) or "")
        node = self.agents[(name, code)] = _iri(uri)
        self.emit(
            node,
            [
                (_RDF.type, _FOAF.Agent),
                (_FOAF.name, self.text(name)),
                (_DCTERMS.type, self.concept(publisher_type) if publisher_type else None),
            ],
        )
        return node

    def local_uri(self, kind: str, value: str) -> str:
        """A stable IRI of the catalogue's own for ``value`` (a fragment of the catalogue)."""
        return f"{self.catalog_uri}#{_bnode_id(kind, value)}"

    def contact(self, name: str, context) -> list:
        """A ``vcard:Kind`` (an organisation): the e-mail or web address of the context's
        contact (else its website or page, as :func:`.dataset.contact_methods`). Returns
        its pairs, for :meth:`emit`."""
        email, website = description.contact_methods(context)
        return [
            (_RDF.type, _VCARD.Kind),  # DCAT-AP's class; no inference gives it from the next
            (_RDF.type, _VCARD.Organization),
            (_VCARD.fn, self.text(name)),
            (_VCARD.hasEmail, _iri(f"mailto:{email}") if email else None),
            (_VCARD.hasURL, _iri(website) if website else None),
        ]

    def licence(self):
        # DONL's CC0 (Creative Commons' own URI), matched to the EU licence list.
        return self.typed(
            mappings.LICENCE,
            (_DCTERMS.LicenseDocument,),
            [(_SKOS.exactMatch, mappings.EU_LICENCE)],
        )

    def standard(self):
        title = _text(self.language)["standard"].format(version=standard.VERSION)
        return self.typed(standard.URI, (_DCTERMS.Standard,), [(_DCTERMS.title, self.text(title))])

    def catalog(self, modified, datasets):
        """The ``dcat:Catalog``, listing the nodes of ``datasets`` (written after it)."""
        register = self.register
        node = _iri(self.catalog_uri)
        text = description.plain_text(register.intro) or _text(self.language)["description"].format(
            organisation=self.organisation, version=standard.VERSION
        )
        contact = _iri(f"{self.catalog_uri}#contact")
        register_contact = SimpleNamespace(
            entry={"contact_email": register.default_contact_email}, public_url=self.register_url
        )
        pairs = [
            (_RDF.type, _DCAT.Catalog),
            (_DCTERMS.title, self.text(register.title)),
            (_DCTERMS.description, self.text(text)),
            (_DCTERMS.publisher, self.publisher),
            (_DCTERMS.creator, self.publisher),  # the organisation keeps its own register
            (_DCAT.contactPoint, contact),
            (_DCTERMS.language, self.language_node(self.language)),
            (_FOAF.homepage, self.document(self.register_url)),
            (_DCTERMS.license, self.licence()),
            (_DCTERMS.issued, _utc(register.first_published_at)),
            (_DCTERMS.modified, _utc(modified)),
        ]
        for scheme in THEME_SCHEMES:
            pairs.append((_DCAT.themeTaxonomy, self.scheme(scheme)))
        pairs += [(_DCAT.dataset, dataset) for dataset in datasets]
        self.emit(node, pairs)
        self.emit(contact, self.contact(self.organisation, register_contact))
        return node

    def language_node(self, code):
        return self.concept(mappings.language_uri(code), _DCTERMS.LinguisticSystem)

    def prepare(self, rows):
        """Read the link groupings and the full URLs of a page of rows at once."""
        links = link_rows([row.pk for row in rows])
        for row in rows:
            row.links = links[row.pk]
        self.entry_urls(rows)

    def entry_urls(self, rows):
        """Set each row's full URL as Wagtail routes it: asked of Wagtail once per page,
        the others its register's URL plus their slug (see :class:`downloads.PublicUrls`)."""
        for row in rows:
            row.full_url = self.public_urls(row, functools.partial(self.wagtail_url, row))

    def wagtail_url(self, row) -> str:
        """Wagtail's own URL of a row: from an unsaved copy of its page (Wagtail reads the
        path, the slug and the locale), or the page itself in another locale."""
        if self.register.locale_id and row.language == self.language:
            page = AlgorithmPage(id=row.pk, slug=row.slug, url_path=row.url_path)
            page.locale = self.register.locale
        else:
            page = AlgorithmPage.objects.get(pk=row.pk)
        # Wagtail reads its site root paths from Django's cache (Site.get_site_root_paths).
        return page.full_url or ""

    def identifier(self, row: _Row) -> str:
        return identifier_uri(self.register_url, row.translation_key)

    def context(self, row: _Row) -> EntryContext:
        """The context of a prepared row, as :func:`.context.context_for` gives it of the
        page, without a query or a URL reversal per entry (the tests check both agree)."""
        return entry_context(
            row,
            register=self.register,
            register_url=self.register_url,
            public_url=row.full_url,
            identifier=self.identifier(row),
            language=row.language,
        )

    def constants(self, language):
        """What every dataset in ``language`` says alike (computed once per page)."""
        pairs = self.constant_pairs.get(language)
        if pairs is None:
            pairs = self.constant_pairs[language] = [
                (_DCTERMS.publisher, self.publisher),
                (
                    _DCTERMS.accessRights,
                    self.concept(mappings.ACCESS_PUBLIC, _DCTERMS.RightsStatement),
                ),
                (_DCTERMS.conformsTo, self.standard()),
                (
                    _DCTERMS.accrualPeriodicity,
                    self.concept(mappings.FREQUENCY_IRREGULAR, _DCTERMS.Frequency),
                ),
            ]
        return pairs

    def dataset(self, row: _Row):
        context = self.context(row)
        entry = context.entry
        language = context.language or self.language
        node = _iri(context.identifier)
        modified = _utc(context.modified)
        parts = []  # (node, pairs) of its contact, period and distributions: written after it

        creator = entry.get("organization") or ""
        if creator.strip() and creator.strip().casefold() != self.organisation.casefold():
            creator = self.agent(creator)
        else:
            creator = self.publisher
        contact = BNode(_bnode_id("contact", context.key))
        parts.append((contact, self.contact(description.contact_name(context), context)))
        data_language = self.language_node(entry.get("lang") or language)
        pairs = [
            (_RDF.type, _DCAT.Dataset),
            (_DCTERMS.identifier, Literal(clean_text(context.identifier))),
            (_DCTERMS.title, self.text(entry.get("name"), language)),
            (_DCTERMS.description, Literal(clean_text(description.notes(context)), lang=language)),
            (_DCTERMS.issued, _utc(context.issued)),
            (_DCTERMS.modified, modified),
            (_DCTERMS.creator, creator),
            (_DCAT.contactPoint, contact),
            (_DCTERMS.language, data_language),
            *self.constants(language),
        ]
        categories = entry.get("category")
        for uri in mappings.eu_theme_uris(categories):
            pairs.append((_DCAT.theme, self.concept(uri)))
        for uri in mappings.owms_theme_uris(categories):
            pairs.append((_DCAT.theme, self.concept(uri)))
        status = mappings.EU_STATUSES.get(entry.get("status") or "")
        if status:
            pairs.append((_ADMS.status, self.concept(status)))
        if context.public_url:
            pairs.append((_DCAT.landingPage, self.document(context.public_url)))
        for tag in self.tags(context):
            pairs.append((_DCAT.keyword, Literal(tag, lang=language)))
        period = self.temporal(context.key, entry.get("begin_date"), entry.get("end_date"))
        if period is not None:
            pairs.append((_DCTERMS.temporal, period[0]))
            parts.append(period)
        # The entry's page is the full documentation of the algorithm (DCAT-AP-NL
        # recommends foaf:page); its impact assessments and processing record add to it.
        known = self.web_addresses
        pages = description.http_uris(description.documentation(entry), known)
        if context.public_url and context.public_url not in pages:
            pages.insert(0, context.public_url)
        for uri in pages:
            pairs.append((_FOAF.page, self.document(uri)))
        for uri in description.http_uris(description.related(entry), known):
            pairs.append((_DCTERMS.relation, self.document(uri)))
        # No adms:identifier for the source_id: ckanext-dcat (2.4) reads the blank node's
        # id instead of its skos:notation, a new value on every harvest.
        for distribution in mappings.DISTRIBUTIONS:
            if getattr(context, distribution.attribute):
                part = self.distribution(context, distribution, data_language, modified)
                pairs.append((_DCAT.distribution, part[0]))
                parts.append(part)
        self.emit(node, pairs)
        for part in parts:
            self.emit(*part)
        return node

    def temporal(self, key, begin, end):
        """A ``dct:PeriodOfTime`` of the entry's begin and end month, as (node, pairs);
        None without either."""
        begin = begin if is_year_month(begin or "") else ""
        end = end if is_year_month(end or "") else ""
        if not (begin or end):
            return None
        period = BNode(_bnode_id("period", key))
        pairs = [(_RDF.type, _DCTERMS.PeriodOfTime)]
        if begin:
            pairs.append((_DCAT.startDate, Literal(begin, datatype=_XSD.gYearMonth)))
        if end:
            pairs.append((_DCAT.endDate, Literal(end, datatype=_XSD.gYearMonth)))
        return period, pairs

    def distribution(self, context, distribution, language, modified):
        """A ``dcat:Distribution`` of the entry, as (node, pairs). Each is a file at its
        URL (the page too, as HTML), so its access URL is its download URL."""
        key = distribution.key
        url = self.document(getattr(context, distribution.attribute))
        # A stable URI per distribution: harvesters keep the resource (and its id).
        node = _iri(f"{context.identifier}#{key}")
        cache_key = (key, context.language, context.organisation_name, language)
        described = self.distribution_pairs.get(cache_key)
        if described is None:
            name, text = description.resource_texts(context, key)
            described = [
                (_DCTERMS.title, self.text(name, context.language)),
                (_DCTERMS.description, self.text(text, context.language)),
                (
                    _DCTERMS["format"],
                    self.concept(distribution.file_type_uri, _DCTERMS.MediaTypeOrExtent),
                ),
                (
                    _DCAT.mediaType,
                    self.typed(distribution.media_type_uri, (_DCTERMS.MediaType,)),
                ),
                (_DCTERMS.license, self.licence()),
                (_DCTERMS.language, language),
            ]
            if key in mappings.STANDARD_FORMATS:
                described.append((_DCTERMS.conformsTo, self.standard()))
            described = self.distribution_pairs[cache_key] = [
                (p, o) for p, o in described if o is not None
            ]
        pairs = [
            (_RDF.type, _DCAT.Distribution),
            (_DCAT.accessURL, url),
            (_DCAT.downloadURL, url),
            *described,
            (_DCTERMS.modified, modified),
        ]
        return node, pairs


def _bnode_id(kind: str, value: str) -> str:
    """A stable blank-node id, so that the same catalogue serialises to the same bytes."""
    return f"{kind}-{hashlib.sha256((value or '').encode()).hexdigest()[:16]}"
