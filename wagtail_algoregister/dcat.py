"""A register as a DCAT-AP-NL 3.0 catalogue, for harvesters such as CKAN's ckanext-dcat.

:func:`build_catalog` returns one page of the catalogue as triples
(:class:`wagtail_algoregister.rdf.Triples`, which the view writes as Turtle, JSON-LD or
RDF/XML without rdflib; ``.graph`` gives the same triples as an rdflib ``Graph``):
the register as a ``dcat:Catalog`` and each published, public entry on that page
as a ``dcat:Dataset`` whose subject URI is its ``dct:identifier``, the entry's
stable :attr:`~wagtail_algoregister.models.AlgorithmPage.identifier_uri`. Harvesters
key on that URI, so renaming or moving an entry never turns into a delete and an add.

Values come from the same mapping as the push to CKAN portals
(:mod:`ckan_export.context` and the helpers of :mod:`ckan_export.profiles`), so a
catalogue and a pushed dataset describe an entry alike: EU data-theme URIs (plus the
OWMS themes data.overheid.nl uses), EU language, file-type, access-right, frequency and
dataset-status URIs, IANA media types, the organisation's TOOI URI as publisher, CC0.

Large registers are paged (``hydra:PagedCollection`` with ``totalItems``,
``itemsPerPage``, ``first``/``last``/``next``/``previous``, the way ckanext-dcat
writes and follows it): ``?page=N``, ``CATALOG_PAGE_SIZE`` entries per page (100);
``next`` links add ``&after=<id>`` so that a walk along them never skips an entry.
A page costs a constant number of queries, however many entries it holds; the
entries' contexts are computed for the whole page at once (:meth:`_Builder.context`,
the same as :func:`ckan_export.context.context_for`), and the total is cached under
the register's version stamp.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Max
from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ckan_export.context import EntryContext, context_for
from ckan_export.profiles import ckan as ckan_profile
from ckan_export.profiles import donl

from . import organisations, standard
from .conf import algoregister_settings
from .national import entry_to_national
from .rdf import BNode, Literal, Triples, clean_text, safe_iri, to_graph
from .validation import is_year_month


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
    triples: Triples  # write with rdf.serialize(); .graph gives them as an rdflib Graph
    number: int  # this page, from 1
    pages: int  # number of pages (at least 1)
    total: int  # published, public entries in the register
    page_size: int
    modified: datetime.datetime | None  # latest publication of the register or an entry
    url: str  # this page's address
    links: dict[str, str]  # first, last, and previous and next where they exist

    @property
    def graph(self):
        """The page as an rdflib ``Graph`` (slow: for tests and other consumers)."""
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
    from .models import AlgorithmPage

    return AlgorithmPage.objects.child_of(register).live().public().order_by("pk")


def catalog_uri(register_url: str) -> str:
    """The catalogue's own URI: its content-negotiated address."""
    return f"{register_url}catalog/"


def build_catalog(
    register, *, page: int = 1, after: int | None = None, collection_url: str | None = None
) -> CatalogPage:
    """Page ``page`` of the register's catalogue, complete, as an rdflib graph.

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
    rows = entries.select_related("locale").defer_streamfields()
    if after is None:
        rows = list(rows[(page - 1) * size : page * size + 1])
    else:
        rows = list(rows.filter(pk__gt=after)[: size + 1])
    more, rows = len(rows) > size, rows[:size]  # one extra row: is there a next page?
    modified = max(
        (t for t in (stats["modified"], register.last_published_at) if t is not None),
        default=None,
    )

    links = {"first": page_url(collection_url, 1), "last": page_url(collection_url, pages)}
    if page > 1:
        links["previous"] = page_url(collection_url, page - 1)
    if more:
        links["next"] = page_url(collection_url, page + 1, after=rows[-1].pk)

    graph = new_graph()
    builder = _Builder(graph, register, register_url)
    catalog = builder.catalog(modified)
    groupings = _groupings([row.pk for row in rows])
    for row in rows:
        row._algoregister_groupings = groupings.get(row.pk, {})
        graph.add((catalog, _DCAT.dataset, builder.dataset(row)))
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
    from django.core.cache import cache

    from .listing import CACHE_TIMEOUT, version_stamp

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

    Cached: most IRIs of a catalogue (vocabularies, themes, the licence, the register's
    own URLs) repeat on every dataset.
    """
    return safe_iri(str(value))


def _add_paging(graph, current, links, total, size):
    """``hydra:PagedCollection`` (ckanext-dcat follows ``hydra:next``, or ``nextPage``)."""
    node = _iri(current)
    graph.add((node, _RDF.type, _HYDRA.PagedCollection))
    graph.add((node, _HYDRA.totalItems, Literal(str(total), datatype=_XSD.integer)))
    graph.add((node, _HYDRA.itemsPerPage, Literal(str(size), datatype=_XSD.integer)))
    for name, url in links.items():
        graph.add((node, _HYDRA[name], _iri(url)))
        graph.add((node, _HYDRA[f"{name}Page"], _iri(url)))  # the older names, still read


def _utc(value: datetime.datetime | None):
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return Literal(value.replace(microsecond=0).isoformat(), datatype=_XSD.dateTime)


def _groupings(ids) -> dict[int, dict[str, list[dict]]]:
    """The link groupings of these entries, ``{page id: {attribute: [row dicts]}}``.

    One query per grouping, plain values: what ``AlgorithmPage.standard_value``
    returns for a grouping, without a model instance and a related manager per row.
    """
    from .models import AlgorithmPage

    result = {}
    if not ids:
        return result
    for definition in standard.grouping_fields():
        relation = AlgorithmPage._meta.get_field(definition.attribute)
        model, column = relation.related_model, relation.field.attname
        items = list(definition.items)
        rows = (
            model.objects.filter(**{f"{column}__in": ids})
            .order_by(column, "sort_order", "pk")
            .values_list(column, *items)
        )
        for page_id, *values in rows:
            by_page = result.setdefault(page_id, {})
            by_page.setdefault(definition.attribute, []).append(
                dict(zip(items, values, strict=True))
            )
    return result


class _StoredEntry:
    """What :func:`entry_to_national` reads of a page, with its groupings already fetched."""

    __slots__ = ("page", "translation_key")

    def __init__(self, page):
        self.page = page
        self.translation_key = page.translation_key

    def standard_value(self, key):
        definition = standard.get(key)
        if definition.is_grouping:
            return self.page._algoregister_groupings.get(definition.attribute, [])
        return getattr(self.page, definition.attribute)


def _text(language: str) -> dict:
    return TEXTS["en" if (language or "").startswith("en") else "nl"]


class _Builder:
    """Adds the catalogue and its datasets to a graph (shared nodes are made once)."""

    def __init__(self, graph: Triples, register, register_url: str):
        self.g = graph
        self.register = register
        self.register_url = register_url
        self.language = register.locale.language_code if register.locale_id else "nl"
        self.organisation = register.organisation_name or ""
        self.declared = set()  # nodes whose type is in the graph already
        self.publisher = self.agent(self.organisation, register.organisation_code)
        # Shared by every entry: no query per entry for its parent or its site.
        self.site_root_paths = register._get_site_root_paths()
        self.entry_urls = None  # register URL + slug + "/" (checked on the first entry)
        self.web_addresses = {}  # value -> donl.is_http_url(value)
        self.tag_names = {}  # (keywords, publication category) -> tag names

    def add(self, subject, predicate, obj):
        if obj is not None and obj != "":
            self.g.add((subject, predicate, obj))

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

    def typed(self, uri, rdf_type, scheme=None):
        """A vocabulary URI, stated (once per graph) to be of the class DCAT-AP expects."""
        node = _iri(uri)
        if node not in self.declared:
            self.declared.add(node)
            self.g.add((node, _RDF.type, rdf_type))
            if scheme is not None:
                self.g.add((node, _SKOS.inScheme, scheme))
        return node

    def agent(self, name: str, code: str = ""):
        """A ``foaf:Agent``: the TOOI URI of the organisation code, else a named blank node."""
        code = (code or "").strip().lower()
        uri = donl.organisation_uri(SimpleNamespace(organisation_code=code), _NO_PORTAL)
        node = _iri(uri) if uri else BNode(_bnode_id("agent", name))
        self.g.add((node, _RDF.type, _FOAF.Agent))
        self.add(node, _FOAF.name, self.text(name))
        organisation = organisations.get(code)
        kind = organisation.kind if organisation else donl.TOOI_KINDS.get(code[:2])
        if uri and kind in PUBLISHER_TYPES:
            self.add(node, _DCTERMS.type, PUBLISHER_TYPE + PUBLISHER_TYPES[kind])
        return node

    def contact(self, node, name: str, context):
        """A ``vcard:Organization``: the e-mail or web address of the context's contact
        (else its website or page, as :func:`ckan_export.profiles.donl.contact_methods`)."""
        email, website = donl.contact_methods(context)
        self.g.add((node, _RDF.type, _VCARD.Organization))
        self.add(node, _VCARD.fn, self.text(name))
        if email:
            self.g.add((node, _VCARD.hasEmail, _iri(f"mailto:{email}")))
        if website:
            self.g.add((node, _VCARD.hasURL, _iri(website)))
        return node

    def licence(self):
        # DONL's CC0 (Creative Commons' own URI), matched to the EU licence list.
        node = _iri(donl.CC0)
        if node not in self.declared:
            self.typed(node, _DCTERMS.LicenseDocument)
            self.g.add((node, _SKOS.exactMatch, EU_CC0))
        return node

    def standard(self):
        node = _iri(donl.STANDARD_URI)
        if node not in self.declared:
            self.typed(node, _DCTERMS.Standard)
            title = _text(self.language)["standard"].format(version=standard.VERSION)
            self.add(node, _DCTERMS.title, self.text(title))
        return node

    def catalog(self, modified):
        g, register = self.g, self.register
        node = _iri(catalog_uri(self.register_url))
        g.add((node, _RDF.type, _DCAT.Catalog))
        self.add(node, _DCTERMS.title, self.text(register.title))
        description = donl.plain_text(register.intro) or _text(self.language)["description"].format(
            organisation=self.organisation, version=standard.VERSION
        )
        self.add(node, _DCTERMS.description, self.text(description))
        g.add((node, _DCTERMS.publisher, self.publisher))
        contact = BNode(_bnode_id("contact", self.register_url))
        g.add((node, _DCAT.contactPoint, contact))
        register_contact = SimpleNamespace(
            entry={"contact_email": register.default_contact_email}, public_url=self.register_url
        )
        self.contact(contact, self.organisation, register_contact)
        g.add((node, _DCTERMS.language, self.language_node(self.language)))
        self.add(node, _FOAF.homepage, self.typed(self.register_url, _FOAF.Document))
        g.add((node, _DCTERMS.license, self.licence()))
        self.add(node, _DCTERMS.issued, _utc(register.first_published_at))
        self.add(node, _DCTERMS.modified, _utc(modified))
        for scheme in (DATA_THEMES, OWMS_THEMES):
            g.add((node, _DCAT.themeTaxonomy, self.typed(scheme, _SKOS.ConceptScheme)))
        return node

    def language_node(self, code):
        return self.typed(donl.language_uri(code), _DCTERMS.LinguisticSystem)

    def entry_url(self, page) -> str:
        """The entry's full URL: its register's URL and its slug, as Wagtail routes it.

        Checked once against ``page.full_url`` (which costs a URL reversal per entry);
        when a site routes differently, every entry asks Wagtail.
        """
        if self.entry_urls is None:
            expected = f"{self.register_url}{page.slug}/" if self.register_url else None
            self.entry_urls = expected is not None and (page.full_url or "") == expected
        if self.entry_urls:
            return f"{self.register_url}{page.slug}/"
        return page.full_url or ""

    def context(self, page) -> EntryContext:
        """:func:`ckan_export.context.context_for`, without a query or URL reversal per entry
        (the tests check that both give the same)."""
        if not hasattr(page, "_algoregister_groupings"):
            return context_for(page)
        from .models import identifier_uri

        register = self.register
        public_url = self.entry_url(page)
        entry = entry_to_national(_StoredEntry(page), public_url=public_url)
        return EntryContext(
            entry=entry,
            identifier=identifier_uri(self.register_url, page.translation_key),
            public_url=public_url,
            json_url=f"{public_url}export.json",
            csv_url=f"{public_url}export.csv",
            register_url=self.register_url,
            organisation_code=register.organisation_code or "",
            organisation_name=entry.get("organization") or register.organisation_name,
            department=page.department,
            issued=page.first_published_at,
            modified=page.last_published_at or page.latest_revision_created_at,
            key=str(page.translation_key),
            language=page.locale.language_code if page.locale_id else "nl",
        )

    def dataset(self, page):
        # The entry's parent is this register and its site is the register's: say so,
        # so that context_for() and identifier_uri make no query per entry.
        page._cached_parent_obj = self.register
        page._wagtail_cached_site_root_paths = self.site_root_paths
        context = self.context(page)
        entry, g = context.entry, self.g
        language = context.language or self.language
        node = _iri(context.identifier)

        g.add((node, _RDF.type, _DCAT.Dataset))
        g.add((node, _DCTERMS.identifier, Literal(clean_text(context.identifier))))
        self.add(node, _DCTERMS.title, self.text(entry.get("name"), language))
        description = clean_text(donl.notes(context))
        self.add(node, _DCTERMS.description, Literal(description, lang=language))
        self.add(node, _DCTERMS.issued, _utc(context.issued))
        self.add(node, _DCTERMS.modified, _utc(context.modified))
        g.add((node, _DCTERMS.publisher, self.publisher))
        creator = entry.get("organization") or ""
        if creator.strip() and creator.strip().casefold() != self.organisation.casefold():
            g.add((node, _DCTERMS.creator, self.agent(creator)))
        else:
            g.add((node, _DCTERMS.creator, self.publisher))
        contact = BNode(_bnode_id("contact", context.key))
        g.add((node, _DCAT.contactPoint, contact))
        self.contact(contact, donl.contact_name(context), context)
        for uri in ckan_profile.theme_uris(entry):
            g.add((node, _DCAT.theme, self.typed(uri, _SKOS.Concept, DATA_THEMES)))
        for uri in donl.theme_uris(entry):
            g.add((node, _DCAT.theme, self.typed(uri, _SKOS.Concept, OWMS_THEMES)))
        data_language = self.language_node(entry.get("lang") or language)
        g.add((node, _DCTERMS.language, data_language))
        g.add(
            (
                node,
                _DCTERMS.accessRights,
                self.typed(ckan_profile.ACCESS_PUBLIC, _DCTERMS.RightsStatement),
            )
        )
        g.add((node, _DCTERMS.conformsTo, self.standard()))
        g.add(
            (
                node,
                _DCTERMS.accrualPeriodicity,
                self.typed(donl.FREQUENCY_IRREGULAR, _DCTERMS.Frequency),
            )
        )
        status = STATUSES.get(entry.get("status") or "")
        if status:
            g.add((node, _ADMS.status, self.typed(DATASET_STATUS + status, _SKOS.Concept)))
        if context.public_url:
            g.add((node, _DCAT.landingPage, self.typed(context.public_url, _FOAF.Document)))
        for tag in self.tags(context):
            g.add((node, _DCAT.keyword, Literal(tag, lang=language)))
        self.temporal(node, context.key, entry.get("begin_date"), entry.get("end_date"))
        documentation = [
            *donl.links(entry, "impacttoetsen_grouping"),
            entry.get("process_index_url"),
        ]
        for uri in self.http_uris(documentation):
            g.add((node, _FOAF.page, self.typed(uri, _FOAF.Document)))
        related = [entry.get("publiccode"), *donl.links(entry, "source_data_grouping")]
        for uri in self.http_uris(related):
            g.add((node, _DCTERMS.relation, _iri(uri)))
        # No adms:identifier for the source_id: ckanext-dcat (2.4) reads the blank node's
        # id instead of its skos:notation, a new value on every harvest.
        for resource in donl.RESOURCES:
            if getattr(context, resource[1]):
                g.add(
                    (node, _DCAT.distribution, self.distribution(context, resource, data_language))
                )
        return node

    def temporal(self, node, key, begin, end):
        begin = begin if is_year_month(begin or "") else ""
        end = end if is_year_month(end or "") else ""
        if not (begin or end):
            return
        period = BNode(_bnode_id("period", key))
        self.g.add((node, _DCTERMS.temporal, period))
        self.g.add((period, _RDF.type, _DCTERMS.PeriodOfTime))
        if begin:
            self.g.add((period, _DCAT.startDate, Literal(begin, datatype=_XSD.gYearMonth)))
        if end:
            self.g.add((period, _DCAT.endDate, Literal(end, datatype=_XSD.gYearMonth)))

    def distribution(self, context, resource, language):
        key, attribute, file_type, media_type = resource
        url = getattr(context, attribute)
        g = self.g
        # A stable URI per distribution: harvesters keep the resource (and its id).
        node = _iri(f"{context.identifier}#{key}")
        name, description = donl.resource_texts(context, key)
        g.add((node, _RDF.type, _DCAT.Distribution))
        self.add(node, _DCTERMS.title, self.text(name, context.language))
        self.add(node, _DCTERMS.description, self.text(description, context.language))
        g.add((node, _DCAT.accessURL, _iri(url)))
        if key in DOWNLOADS:
            g.add((node, _DCAT.downloadURL, _iri(url)))
            g.add((node, _DCTERMS.conformsTo, self.standard()))
        g.add(
            (
                node,
                _DCTERMS["format"],
                self.typed(donl.FILE_TYPE + file_type, _DCTERMS.MediaTypeOrExtent),
            )
        )
        g.add((node, _DCAT.mediaType, self.typed(IANA + media_type, _DCTERMS.MediaType)))
        g.add((node, _DCTERMS.license, self.licence()))
        g.add((node, _DCTERMS.language, language))
        self.add(node, _DCTERMS.modified, _utc(context.modified))
        return node


def _bnode_id(kind: str, value: str) -> str:
    """A stable blank-node id, so that the same catalogue serialises to the same bytes."""
    return f"{kind}-{hashlib.sha256((value or '').encode()).hexdigest()[:16]}"
