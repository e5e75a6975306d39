"""A register as a DCAT-AP-NL 3.0 catalogue, for harvesters such as CKAN's ckanext-dcat.

:func:`build_catalog` returns one page of the catalogue as an rdflib ``Graph``:
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
A page costs a constant number of queries, however many entries it holds.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Max
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ckan_export.context import context_for
from ckan_export.profiles import ckan as ckan_profile
from ckan_export.profiles import donl

from . import organisations, standard
from .conf import algoregister_settings
from .validation import is_year_month


ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEMES = URIRef(EU + "data-theme")  # the EU data-theme concept scheme
OWMS_THEMES = URIRef(donl.OWMS + "TaxonomieBeleidsagenda")  # DONL's theme scheme
DATASET_STATUS = EU + "dataset-status/"
IANA = "http://www.iana.org/assignments/media-types/"
EU_CC0 = URIRef(EU + "licence/CC0")
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
    graph: Graph
    number: int  # this page, from 1
    pages: int  # number of pages (at least 1)
    total: int  # published, public entries in the register
    page_size: int
    modified: datetime.datetime | None  # latest publication of the register or an entry
    url: str  # this page's address
    links: dict[str, str]  # first, last, and previous and next where they exist


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
    stats = entries.aggregate(total=Count("pk"), modified=Max("last_published_at"))
    total = stats["total"]
    pages = max(1, -(-total // size))
    if page < 1 or (after is None and page > pages):
        raise PageNotFound(page)
    rows = (
        entries.select_related("locale")
        .defer_streamfields()
        .prefetch_related(*(d.attribute for d in standard.grouping_fields()))
    )
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
    for row in rows:
        graph.add((catalog, DCAT.dataset, builder.dataset(row)))
    current = page_url(collection_url, page, after=after)
    _add_paging(graph, current, links, total, size)
    return CatalogPage(graph, page, pages, total, size, modified, current, links)


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("vcard", VCARD),
        ("adms", ADMS),
        ("hydra", HYDRA),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace)
    return graph


def _add_paging(graph, current, links, total, size):
    """``hydra:PagedCollection`` (ckanext-dcat follows ``hydra:next``, or ``nextPage``)."""
    node = URIRef(current)
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))
    for name, url in links.items():
        graph.add((node, HYDRA[name], URIRef(url)))
        graph.add((node, HYDRA[f"{name}Page"], URIRef(url)))  # the older names, still read


def _utc(value: datetime.datetime | None):
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return Literal(value.replace(microsecond=0), datatype=XSD.dateTime)


def _text(language: str) -> dict:
    return TEXTS["en" if (language or "").startswith("en") else "nl"]


class _Builder:
    """Adds the catalogue and its datasets to a graph (shared nodes are made once)."""

    def __init__(self, graph: Graph, register, register_url: str):
        self.g = graph
        self.register = register
        self.register_url = register_url
        self.language = register.locale.language_code if register.locale_id else "nl"
        self.organisation = register.organisation_name or ""
        self.declared = set()  # nodes whose type is in the graph already
        self.publisher = self.agent(self.organisation, register.organisation_code)
        # Shared by every entry: no query per entry for its parent or its site.
        self.site_root_paths = register._get_site_root_paths()

    def add(self, subject, predicate, obj):
        if obj is not None and obj != "":
            self.g.add((subject, predicate, obj))

    def text(self, value, language=None):
        value = " ".join((value or "").split())
        return Literal(value, lang=language or self.language) if value else None

    def typed(self, uri, rdf_type, scheme=None):
        """A vocabulary URI, stated (once per graph) to be of the class DCAT-AP expects."""
        node = URIRef(uri)
        if node not in self.declared:
            self.declared.add(node)
            self.g.add((node, RDF.type, rdf_type))
            if scheme is not None:
                self.g.add((node, SKOS.inScheme, scheme))
        return node

    def agent(self, name: str, code: str = ""):
        """A ``foaf:Agent``: the TOOI URI of the organisation code, else a named blank node."""
        code = (code or "").strip().lower()
        uri = donl.organisation_uri(SimpleNamespace(organisation_code=code), _NO_PORTAL)
        node = URIRef(uri) if uri else BNode(_bnode_id("agent", name))
        self.g.add((node, RDF.type, FOAF.Agent))
        self.add(node, FOAF.name, self.text(name))
        organisation = organisations.get(code)
        kind = organisation.kind if organisation else donl.TOOI_KINDS.get(code[:2])
        if uri and kind in PUBLISHER_TYPES:
            self.add(node, DCTERMS.type, URIRef(PUBLISHER_TYPE + PUBLISHER_TYPES[kind]))
        return node

    def contact(self, node, name: str, context):
        """A ``vcard:Organization``: the e-mail or web address of the context's contact
        (else its website or page, as :func:`ckan_export.profiles.donl.contact_methods`)."""
        email, website = donl.contact_methods(context)
        self.g.add((node, RDF.type, VCARD.Organization))
        self.add(node, VCARD.fn, self.text(name))
        if email:
            self.g.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        if website:
            self.g.add((node, VCARD.hasURL, URIRef(website)))
        return node

    def licence(self):
        # DONL's CC0 (Creative Commons' own URI), matched to the EU licence list.
        node = URIRef(donl.CC0)
        if node not in self.declared:
            self.typed(node, DCTERMS.LicenseDocument)
            self.g.add((node, SKOS.exactMatch, EU_CC0))
        return node

    def standard(self):
        node = URIRef(donl.STANDARD_URI)
        if node not in self.declared:
            self.typed(node, DCTERMS.Standard)
            title = _text(self.language)["standard"].format(version=standard.VERSION)
            self.add(node, DCTERMS.title, self.text(title))
        return node

    def catalog(self, modified):
        g, register = self.g, self.register
        node = URIRef(catalog_uri(self.register_url))
        g.add((node, RDF.type, DCAT.Catalog))
        self.add(node, DCTERMS.title, self.text(register.title))
        description = donl.plain_text(register.intro) or _text(self.language)["description"].format(
            organisation=self.organisation, version=standard.VERSION
        )
        self.add(node, DCTERMS.description, self.text(description))
        g.add((node, DCTERMS.publisher, self.publisher))
        contact = BNode(_bnode_id("contact", self.register_url))
        g.add((node, DCAT.contactPoint, contact))
        register_contact = SimpleNamespace(
            entry={"contact_email": register.default_contact_email}, public_url=self.register_url
        )
        self.contact(contact, self.organisation, register_contact)
        g.add((node, DCTERMS.language, self.language_node(self.language)))
        self.add(node, FOAF.homepage, self.typed(self.register_url, FOAF.Document))
        g.add((node, DCTERMS.license, self.licence()))
        self.add(node, DCTERMS.issued, _utc(register.first_published_at))
        self.add(node, DCTERMS.modified, _utc(modified))
        for scheme in (DATA_THEMES, OWMS_THEMES):
            g.add((node, DCAT.themeTaxonomy, self.typed(scheme, SKOS.ConceptScheme)))
        return node

    def language_node(self, code):
        return self.typed(donl.language_uri(code), DCTERMS.LinguisticSystem)

    def dataset(self, page):
        # The entry's parent is this register and its site is the register's: say so,
        # so that context_for() and identifier_uri make no query per entry.
        page._cached_parent_obj = self.register
        page._wagtail_cached_site_root_paths = self.site_root_paths
        context = context_for(page)
        entry, g = context.entry, self.g
        language = context.language or self.language
        node = URIRef(context.identifier)

        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(context.identifier)))
        self.add(node, DCTERMS.title, self.text(entry.get("name"), language))
        self.add(node, DCTERMS.description, Literal(donl.notes(context), lang=language))
        self.add(node, DCTERMS.issued, _utc(context.issued))
        self.add(node, DCTERMS.modified, _utc(context.modified))
        g.add((node, DCTERMS.publisher, self.publisher))
        creator = entry.get("organization") or ""
        if creator.strip() and creator.strip().casefold() != self.organisation.casefold():
            g.add((node, DCTERMS.creator, self.agent(creator)))
        else:
            g.add((node, DCTERMS.creator, self.publisher))
        contact = BNode(_bnode_id("contact", context.key))
        g.add((node, DCAT.contactPoint, contact))
        self.contact(contact, donl.contact_name(context), context)
        for uri in ckan_profile.theme_uris(entry):
            g.add((node, DCAT.theme, self.typed(uri, SKOS.Concept, DATA_THEMES)))
        for uri in donl.theme_uris(entry):
            g.add((node, DCAT.theme, self.typed(uri, SKOS.Concept, OWMS_THEMES)))
        data_language = self.language_node(entry.get("lang") or language)
        g.add((node, DCTERMS.language, data_language))
        g.add(
            (
                node,
                DCTERMS.accessRights,
                self.typed(ckan_profile.ACCESS_PUBLIC, DCTERMS.RightsStatement),
            )
        )
        g.add((node, DCTERMS.conformsTo, self.standard()))
        g.add(
            (
                node,
                DCTERMS.accrualPeriodicity,
                self.typed(donl.FREQUENCY_IRREGULAR, DCTERMS.Frequency),
            )
        )
        status = STATUSES.get(entry.get("status") or "")
        if status:
            g.add((node, ADMS.status, self.typed(DATASET_STATUS + status, SKOS.Concept)))
        if context.public_url:
            g.add((node, DCAT.landingPage, self.typed(context.public_url, FOAF.Document)))
        for tag in donl.tags(context):
            g.add((node, DCAT.keyword, Literal(tag["name"], lang=language)))
        self.temporal(node, context.key, entry.get("begin_date"), entry.get("end_date"))
        documentation = [
            *donl.links(entry, "impacttoetsen_grouping"),
            entry.get("process_index_url"),
        ]
        for uri in donl.http_uris(documentation):
            g.add((node, FOAF.page, self.typed(uri, FOAF.Document)))
        related = [entry.get("publiccode"), *donl.links(entry, "source_data_grouping")]
        for uri in donl.http_uris(related):
            g.add((node, DCTERMS.relation, URIRef(uri)))
        # No adms:identifier for the source_id: ckanext-dcat (2.4) reads the blank node's
        # id instead of its skos:notation, a new value on every harvest.
        for resource in donl.RESOURCES:
            if getattr(context, resource[1]):
                g.add(
                    (node, DCAT.distribution, self.distribution(context, resource, data_language))
                )
        return node

    def temporal(self, node, key, begin, end):
        begin = begin if is_year_month(begin or "") else ""
        end = end if is_year_month(end or "") else ""
        if not (begin or end):
            return
        period = BNode(_bnode_id("period", key))
        self.g.add((node, DCTERMS.temporal, period))
        self.g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if begin:
            self.g.add((period, DCAT.startDate, Literal(begin, datatype=XSD.gYearMonth)))
        if end:
            self.g.add((period, DCAT.endDate, Literal(end, datatype=XSD.gYearMonth)))

    def distribution(self, context, resource, language):
        key, attribute, file_type, media_type = resource
        url = getattr(context, attribute)
        g = self.g
        # A stable URI per distribution: harvesters keep the resource (and its id).
        node = URIRef(f"{context.identifier}#{key}")
        name, description = donl.resource_texts(context, key)
        g.add((node, RDF.type, DCAT.Distribution))
        self.add(node, DCTERMS.title, self.text(name, context.language))
        self.add(node, DCTERMS.description, self.text(description, context.language))
        g.add((node, DCAT.accessURL, URIRef(url)))
        if key in DOWNLOADS:
            g.add((node, DCAT.downloadURL, URIRef(url)))
            g.add((node, DCTERMS.conformsTo, self.standard()))
        g.add(
            (
                node,
                DCTERMS["format"],
                self.typed(donl.FILE_TYPE + file_type, DCTERMS.MediaTypeOrExtent),
            )
        )
        g.add((node, DCAT.mediaType, self.typed(IANA + media_type, DCTERMS.MediaType)))
        g.add((node, DCTERMS.license, self.licence()))
        g.add((node, DCTERMS.language, language))
        self.add(node, DCTERMS.modified, _utc(context.modified))
        return node


def _bnode_id(kind: str, value: str) -> str:
    """A stable blank-node id, so that the same catalogue serialises to the same bytes."""
    return f"{kind}-{hashlib.sha256((value or '').encode()).hexdigest()[:16]}"
