"""A register as a DCAT-AP-NL 3.0 catalogue, for harvesters such as CKAN's ckanext-dcat.

:func:`build_catalog` writes one page of the catalogue, subject by subject, to a
writer of :mod:`wagtail_algoregister.formats.rdf` (Turtle, JSON-LD or RDF/XML, without
rdflib) or into a :class:`~wagtail_algoregister.formats.rdf.Triples` (``.graph`` gives those
as an rdflib ``Graph``): the register as a ``dcat:Catalog`` and each published,
public entry on that page as a ``dcat:Dataset`` whose subject URI is its
``dct:identifier``, the entry's stable
:attr:`~wagtail_algoregister.models.AlgorithmPage.identifier_uri`. Harvesters key on
that URI, so renaming or moving an entry never turns into a delete and an add.

Values come from the same mapping as the push to CKAN portals
(:mod:`ckan_export.context` and the helpers of :mod:`ckan_export.profiles`), so a
catalogue and a pushed dataset describe an entry alike: EU data-theme URIs (plus the
OWMS themes data.overheid.nl uses), EU language, file-type, access-right, frequency and
dataset-status URIs, IANA media types, the organisation's TOOI URI as publisher, CC0.

Large registers are paged (``hydra:PagedCollection`` with ``totalItems``,
``itemsPerPage``, ``first``/``last``/``next``/``previous``, the way ckanext-dcat
writes and follows it): ``?page=N``, ``CATALOG_PAGE_SIZE`` entries per page (100);
``next`` links add ``&after=<id>`` so that a walk along them never skips an entry.
A page costs a constant number of queries, however many entries it holds: entries are
read as plain values (no page objects), their link groupings and URLs for the whole
page at once, their contexts computed as :func:`ckan_export.context.context_for`
computes them (:meth:`_Builder.context`; the tests check both agree), and the total
is cached under the register's version stamp. What every dataset or distribution
says alike (vocabulary terms, licence, publisher) is made once per page.
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
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ckan_export.context import EntryContext
from ckan_export.profiles import ckan as ckan_profile
from ckan_export.profiles import donl
from wagtail_algoregister import standard
from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.formats.downloads import PublicUrls, link_rows
from wagtail_algoregister.formats.national import entry_to_national
from wagtail_algoregister.formats.rdf import BNode, Literal, Triples, clean_text, safe_iri, to_graph
from wagtail_algoregister.listing import CACHE_TIMEOUT, version_stamp
from wagtail_algoregister.models import AlgorithmPage, identifier_uri
from wagtail_algoregister.standard import organisations
from wagtail_algoregister.standard.validation import is_year_month


ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEMES = EU + "data-theme"  # the EU data-theme concept scheme
OWMS_THEMES = donl.OWMS + "TaxonomieBeleidsagenda"  # DONL's theme scheme
DATASET_STATUS = EU + "dataset-status/"
IANA = "http://www.iana.org/assignments/media-types/"
EU_CC0 = EU + "licence/CC0"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"

# The standard's status -> EU dataset status. The dataset is the description of
# the algorithm, which stays published when the algorithm is retired.
STATUSES = {
    "In ontwikkeling": "DEVELOP",
    "In gebruik": "COMPLETED",
    "Buiten gebruik": "DISCONT",
}
# Kind of organisation -> ADMS publisher type (DCAT-AP's recommended dct:type of an agent).
PUBLISHER_TYPES = {
    "gemeente": "LocalAuthority",
    "provincie": "RegionalAuthority",
    "waterschap": "RegionalAuthority",
}
# Resources (see donl.RESOURCES) that are downloads in the standard's own format.
DOWNLOADS = frozenset({"json", "csv"})

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
# The organisation URI needs no portal settings here (ckan_export's AUTHORITY_URI is
# a per-portal override): the catalogue always names the TOOI URI of the code.
_NO_PORTAL = SimpleNamespace(authority_uri="")


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
    stats = _stats(register, entries)
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


_DCAT, _DCTERMS, _FOAF, _RDF, _SKOS, _XSD, _ADMS, _HYDRA, _VCARD = (
    _Vocabulary(ns) for ns in (DCAT, DCTERMS, FOAF, RDF, SKOS, XSD, ADMS, HYDRA, VCARD)
)


def _stats(register, entries) -> dict:
    """Number of entries and their latest publication: one aggregate over all entries,
    kept in Django's cache under the register's version stamp (which changes with every
    publication, unpublication, move, deletion or view restriction; see
    :func:`wagtail_algoregister.listing.version_stamp`), so that walking a catalogue of
    many pages does not count every entry again for each page."""

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
        self.language = register.locale.language_code if register.locale_id else "nl"
        self.organisation = register.organisation_name or ""
        self.typed_nodes = {}  # uri -> node, for typed(): each is written once
        self.agents = {}  # (name, code) -> node, for agent()
        self.publisher = self.agent(self.organisation, register.organisation_code)
        # Shared by every entry: no query per entry for its parent or its site.
        self.site_root_paths = register._get_site_root_paths()
        # Wagtail's URL once per parent, then the parent's plus the slug.
        self.public_urls = PublicUrls(model=AlgorithmPage)
        self.constant_pairs = {}  # language -> what every dataset says (see constants())
        self.distribution_pairs = {}  # what distributions of one kind say alike
        self.web_addresses = {}  # value -> donl.is_http_url(value)
        self.tag_names = {}  # (keywords, publication category) -> tag names

    def emit(self, subject, pairs):
        """Write one subject's triples, leaving out the values that are absent (None)."""
        self.g.extend(subject, [(p, o) for p, o in pairs if o is not None])

    def http_uris(self, values) -> list[str]:
        """:func:`ckan_export.profiles.donl.http_uris`, remembering which values are web
        addresses (the same addresses recur across a register's entries)."""
        known, result = self.web_addresses, []
        for value in values:
            value = (value or "").strip() if isinstance(value, str) else ""
            is_url = known.get(value)
            if is_url is None:
                is_url = known[value] = donl.is_http_url(value)
            if is_url and value not in result:
                result.append(value)
        return result

    def tags(self, context) -> list[str]:
        """The names of :func:`ckan_export.profiles.donl.tags`, which depend on the entry's
        keywords and publication category alone: computed once per combination."""
        entry = context.entry
        key = (entry.get("tags") or "", entry.get("publication_category") or "")
        names = self.tag_names.get(key)
        if names is None:
            names = self.tag_names[key] = [clean_text(t["name"]) for t in donl.tags(context)]
        return names

    def text(self, value, language=None):
        value = " ".join((value or "").split())
        # After the split only non-whitespace controls could be left; isprintable() (C
        # speed) rules them out for almost every text, so the regex seldom runs.
        if value and not value.isprintable():
            value = " ".join(clean_text(value).split())
        return Literal(value, lang=language or self.language) if value else None

    def typed(self, uri, rdf_type, scheme=None, more=()):
        """A vocabulary URI, stated (once per document) to be of the class DCAT-AP
        expects, in ``scheme`` when given, with ``more`` (predicate, object) pairs."""
        node = self.typed_nodes.get(uri)
        if node is None:
            node = self.typed_nodes[uri] = _iri(uri)
            pairs = [(_RDF.type, rdf_type), (_SKOS.inScheme, scheme), *more]
            self.emit(node, pairs)
        return node

    def agent(self, name: str, code: str = ""):
        """A ``foaf:Agent``: the TOOI URI of the organisation code, else a named blank node."""
        code = (code or "").strip().lower()
        node = self.agents.get((name, code))
        if node is not None:
            return node
        uri = donl.organisation_uri(SimpleNamespace(organisation_code=code), _NO_PORTAL)
        node = self.agents[(name, code)] = _iri(uri) if uri else BNode(_bnode_id("agent", name))
        organisation = organisations.get(code)
        kind = organisation.kind if organisation else donl.TOOI_KINDS.get(code[:2])
        publisher_type = PUBLISHER_TYPES.get(kind) if uri else None
        self.emit(
            node,
            [
                (_RDF.type, _FOAF.Agent),
                (_FOAF.name, self.text(name)),
                (_DCTERMS.type, PUBLISHER_TYPE + publisher_type if publisher_type else None),
            ],
        )
        return node

    def contact(self, node, name: str, context) -> list:
        """A ``vcard:Organization``: the e-mail or web address of the context's contact
        (else its website or page, as :func:`ckan_export.profiles.donl.contact_methods`).
        Returns its pairs, for :meth:`emit`."""
        email, website = donl.contact_methods(context)
        return [
            (_RDF.type, _VCARD.Organization),
            (_VCARD.fn, self.text(name)),
            (_VCARD.hasEmail, _iri(f"mailto:{email}") if email else None),
            (_VCARD.hasURL, _iri(website) if website else None),
        ]

    def licence(self):
        # DONL's CC0 (Creative Commons' own URI), matched to the EU licence list.
        return self.typed(donl.CC0, _DCTERMS.LicenseDocument, more=[(_SKOS.exactMatch, EU_CC0)])

    def standard(self):
        title = _text(self.language)["standard"].format(version=standard.VERSION)
        return self.typed(
            donl.STANDARD_URI, _DCTERMS.Standard, more=[(_DCTERMS.title, self.text(title))]
        )

    def catalog(self, modified, datasets):
        """The ``dcat:Catalog``, listing the nodes of ``datasets`` (written after it)."""
        register = self.register
        node = _iri(catalog_uri(self.register_url))
        description = donl.plain_text(register.intro) or _text(self.language)["description"].format(
            organisation=self.organisation, version=standard.VERSION
        )
        contact = BNode(_bnode_id("contact", self.register_url))
        register_contact = SimpleNamespace(
            entry={"contact_email": register.default_contact_email}, public_url=self.register_url
        )
        pairs = [
            (_RDF.type, _DCAT.Catalog),
            (_DCTERMS.title, self.text(register.title)),
            (_DCTERMS.description, self.text(description)),
            (_DCTERMS.publisher, self.publisher),
            (_DCAT.contactPoint, contact),
            (_DCTERMS.language, self.language_node(self.language)),
            (_FOAF.homepage, self.typed(self.register_url, _FOAF.Document)),
            (_DCTERMS.license, self.licence()),
            (_DCTERMS.issued, _utc(register.first_published_at)),
            (_DCTERMS.modified, _utc(modified)),
        ]
        for scheme in (DATA_THEMES, OWMS_THEMES):
            pairs.append((_DCAT.themeTaxonomy, self.typed(scheme, _SKOS.ConceptScheme)))
        pairs += [(_DCAT.dataset, dataset) for dataset in datasets]
        self.emit(node, pairs)
        self.emit(contact, self.contact(contact, self.organisation, register_contact))
        return node

    def language_node(self, code):
        return self.typed(donl.language_uri(code), _DCTERMS.LinguisticSystem)

    def prepare(self, rows):
        """Read the link groupings and the full URLs of a page of rows at once."""

        links = link_rows([row.pk for row in rows])
        for row in rows:
            row.links = links[row.pk]
        self.entry_urls(rows)

    def entry_urls(self, rows):
        """Set each row's full URL as Wagtail routes it: asked of Wagtail once per page,
        the others its register's URL plus their slug (see :class:`exports.PublicUrls`)."""
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
        page._wagtail_cached_site_root_paths = self.site_root_paths
        return page.full_url or ""

    def identifier(self, row: _Row) -> str:

        return identifier_uri(self.register_url, row.translation_key)

    def context(self, row: _Row) -> EntryContext:
        """:func:`ckan_export.context.context_for` of a prepared row, without a query or a
        URL reversal per entry (the tests check that both give the same)."""
        register = self.register
        public_url = row.full_url
        entry = entry_to_national(row, public_url=public_url)
        return EntryContext(
            entry=entry,
            identifier=self.identifier(row),
            public_url=public_url,
            json_url=f"{public_url}export.json",
            csv_url=f"{public_url}export.csv",
            register_url=self.register_url,
            organisation_code=register.organisation_code or "",
            organisation_name=entry.get("organization") or register.organisation_name,
            department=row.department,
            issued=row.first_published_at,
            modified=row.last_published_at or row.latest_revision_created_at,
            key=str(row.translation_key),
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
                    self.typed(ckan_profile.ACCESS_PUBLIC, _DCTERMS.RightsStatement),
                ),
                (_DCTERMS.conformsTo, self.standard()),
                (
                    _DCTERMS.accrualPeriodicity,
                    self.typed(donl.FREQUENCY_IRREGULAR, _DCTERMS.Frequency),
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
        parts.append((contact, self.contact(contact, donl.contact_name(context), context)))
        data_language = self.language_node(entry.get("lang") or language)
        pairs = [
            (_RDF.type, _DCAT.Dataset),
            (_DCTERMS.identifier, Literal(clean_text(context.identifier))),
            (_DCTERMS.title, self.text(entry.get("name"), language)),
            (_DCTERMS.description, Literal(clean_text(donl.notes(context)), lang=language)),
            (_DCTERMS.issued, _utc(context.issued)),
            (_DCTERMS.modified, modified),
            (_DCTERMS.creator, creator),
            (_DCAT.contactPoint, contact),
            (_DCTERMS.language, data_language),
            *self.constants(language),
        ]
        for uri in ckan_profile.theme_uris(entry):
            pairs.append((_DCAT.theme, self.typed(uri, _SKOS.Concept, DATA_THEMES)))
        for uri in donl.theme_uris(entry):
            pairs.append((_DCAT.theme, self.typed(uri, _SKOS.Concept, OWMS_THEMES)))
        status = STATUSES.get(entry.get("status") or "")
        if status:
            pairs.append((_ADMS.status, self.typed(DATASET_STATUS + status, _SKOS.Concept)))
        if context.public_url:
            pairs.append((_DCAT.landingPage, self.typed(context.public_url, _FOAF.Document)))
        for tag in self.tags(context):
            pairs.append((_DCAT.keyword, Literal(tag, lang=language)))
        period = self.temporal(context.key, entry.get("begin_date"), entry.get("end_date"))
        if period is not None:
            pairs.append((_DCTERMS.temporal, period[0]))
            parts.append(period)
        documentation = [
            *donl.links(entry, "impacttoetsen_grouping"),
            entry.get("process_index_url"),
        ]
        for uri in self.http_uris(documentation):
            pairs.append((_FOAF.page, self.typed(uri, _FOAF.Document)))
        related = [entry.get("publiccode"), *donl.links(entry, "source_data_grouping")]
        for uri in self.http_uris(related):
            pairs.append((_DCTERMS.relation, _iri(uri)))
        # No adms:identifier for the source_id: ckanext-dcat (2.4) reads the blank node's
        # id instead of its skos:notation, a new value on every harvest.
        for resource in donl.RESOURCES:
            if getattr(context, resource[1]):
                distribution = self.distribution(context, resource, data_language, modified)
                pairs.append((_DCAT.distribution, distribution[0]))
                parts.append(distribution)
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

    def distribution(self, context, resource, language, modified):
        """A ``dcat:Distribution`` of the entry, as (node, pairs)."""
        key, attribute, file_type, media_type = resource
        url = _iri(getattr(context, attribute))
        # A stable URI per distribution: harvesters keep the resource (and its id).
        node = _iri(f"{context.identifier}#{key}")
        cache_key = (key, context.language, context.organisation_name, language)
        described = self.distribution_pairs.get(cache_key)
        if described is None:
            name, description = donl.resource_texts(context, key)
            described = [
                (_DCTERMS.title, self.text(name, context.language)),
                (_DCTERMS.description, self.text(description, context.language)),
                (
                    _DCTERMS["format"],
                    self.typed(donl.FILE_TYPE + file_type, _DCTERMS.MediaTypeOrExtent),
                ),
                (_DCAT.mediaType, self.typed(IANA + media_type, _DCTERMS.MediaType)),
                (_DCTERMS.license, self.licence()),
                (_DCTERMS.language, language),
            ]
            if key in DOWNLOADS:
                described.append((_DCTERMS.conformsTo, self.standard()))
            described = self.distribution_pairs[cache_key] = [
                (p, o) for p, o in described if o is not None
            ]
        pairs = [(_RDF.type, _DCAT.Distribution), (_DCAT.accessURL, url)]
        if key in DOWNLOADS:
            pairs.append((_DCAT.downloadURL, url))
        pairs += described
        pairs.append((_DCTERMS.modified, modified))
        return node, pairs


def _bnode_id(kind: str, value: str) -> str:
    """A stable blank-node id, so that the same catalogue serialises to the same bytes."""
    return f"{kind}-{hashlib.sha256((value or '').encode()).hexdigest()[:16]}"
