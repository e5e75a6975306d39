"""Page types of the register: the register itself and its entries."""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_algoregister import standard
from wagtail_algoregister.blocks import AlgorithmBodyBlock
from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.fields import ChoiceListField, model_field
from wagtail_algoregister.listing import build_listing
from wagtail_algoregister.models.api_fields import entry_api_fields, identifier_uri
from wagtail_algoregister.models.cleaning import clean_text_fields
from wagtail_algoregister.models.glossary import GlossaryTerm
from wagtail_algoregister.models.link_values import kept_text_links
from wagtail_algoregister.standard import organisations
from wagtail_algoregister.standard.validation import is_lars, validate_value


BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


@cache
def public_view(name: str):
    """A view of :mod:`wagtail_algoregister.views` by dotted name (``"exports.register_export"``).

    The pages' routes hand their files to the public views. Named like a URLconf's
    handlers, so that models do not import the views, which import the models.
    """
    return import_string(f"wagtail_algoregister.views.{name}")


def _standard_fields_base():
    """An abstract model with one column per scalar key of the standard.

    Built from the definitions so that the model can never drift from them.
    ``name`` is stored as the page title and so is not added here.
    """
    attrs = {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True})}
    for definition in standard.scalar_fields():
        if definition.attribute == "title":
            continue
        if hasattr(Page, definition.attribute):
            raise ImproperlyConfigured(
                f"The standard's key {definition.key!r} would hide Page.{definition.attribute}; "
                "map it to another attribute in standard.ATTRIBUTES."
            )
        attrs[definition.attribute] = model_field(definition)
    return type("StandardFields", (models.Model,), attrs)


StandardFields = _standard_fields_base()


class AlgorithmRegisterPage(RoutablePageMixin, Page):
    """The register of one organisation: lists its algorithms."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_(
            "Explain in plain language what this register is and how residents can ask questions."
        ),
    )
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=standard.get("organization").max_length,
        blank=True,
        help_text=_(
            "The full name, such as “Gemeente Utrecht”. Filled in from the organisation code when left empty. Used as the default for new entries."
        ),
    )
    organisation_code = models.CharField(
        _("organisation code"),
        max_length=10,
        blank=True,
        choices=organisations.choices,
        help_text=_(
            "The organisation's TOOI/CBS code, such as gm0344. Links the register to open-data portals and the national register."
        ),
    )
    default_contact_email = models.CharField(
        _("default contact"),
        max_length=standard.get("contact_email").max_length,
        blank=True,
        help_text=_(
            "A general e-mail address or contact form (not a person). Used as the default for new entries."
        ),
    )

    complaint_url = models.URLField(
        _("complaints page"),
        max_length=500,
        blank=True,
        help_text=_(
            "Optional: the web page where residents can submit a complaint to your organisation. Every entry links to it under “Questions or objections?”."
        ),
    )

    # Shared with the sync-failure alerts of the exporters: one address for the team.
    notification_email = models.EmailField(
        _("notification address"),
        blank=True,
        help_text=_(
            "Optional: the e-mail address of the team that looks after the register. Messages from residents about an entry without an e-mail contact go here. Not shown on the site."
        ),
    )
    reply_days = models.PositiveSmallIntegerField(
        _("reply time in working days"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Within how many working days you answer a message from a resident. Shown to residents after they send a message."
        ),
    )

    content_panels = Page.content_panels + [
        "intro",
        FieldPanel("organisation_code"),
        "organisation_name",
        "default_contact_email",
        "complaint_url",
        MultiFieldPanel(
            ["notification_email", "reply_days"],
            heading=_("Messages from residents"),
        ),
    ]

    subpage_types = ["wagtail_algoregister.AlgorithmPage"]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("algorithm register")
        verbose_name_plural = _("algorithm registers")

    def clean(self):
        super().clean()
        errors = {}
        org = organisations.get(self.organisation_code)
        if org and not self.organisation_name:
            self.organisation_name = org.name
        if not self.organisation_name:
            errors["organisation_name"] = _(
                "Enter the organisation name, or choose the organisation code."
            )
        if self.default_contact_email:
            value, problems = validate_value(
                standard.get("contact_email"), self.default_contact_email
            )
            if problems:
                errors["default_contact_email"] = problems
            self.default_contact_email = value
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The text gate, also for content saved in code (see models.cleaning).
        clean_text_fields(self)
        return super().save(*args, **kwargs)

    @property
    def organisation(self):
        return organisations.get(self.organisation_code)

    def get_entries(self):
        """Published, public entries of this register."""
        return AlgorithmPage.objects.child_of(self).live().public().order_by("title")

    def listing(self, request):
        """Search, facets, sorting and one page of entries for this request (see ``listing``)."""
        return build_listing(
            self.get_entries(),
            request.GET,
            path=request.path,
            page_size=algoregister_settings.PAGE_SIZE,
            register=self,  # cache counts and ids under the register's version stamp
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = self.listing(request)
        context["listing"] = listing
        # The entries on this page of results (templates of earlier versions use it).
        context["entries"] = listing.entries
        context["base_template"] = algoregister_settings.BASE_TEMPLATE
        # The filters' labels are in the reader's language: so are their explanations.
        context["glossary"] = SimpleLazyObject(lambda: self.glossary(request).linker())
        return context

    def glossary_url(self, request=None):
        url = self.get_url(request)
        return f"{url}glossary/" if url else ""

    def glossary(self, request, locale_id=None):
        """The words explained in one locale (by default the reader's language), linking
        to this register's glossary page."""
        url = self.glossary_url(request)
        if locale_id is None:
            return GlossaryTerm.active_glossary(url=url)
        return GlossaryTerm.glossary(locale_id, url=url)

    @path("")
    def index(self, request):
        return self.render(request)

    # Machine-readable views live in wagtail_algoregister.views; these routes only dispatch.

    @path("export.<str:fmt>/")
    def export(self, request, fmt):
        return public_view("exports.register_export")(request, self, fmt)

    @path("catalog.<str:fmt>/")
    def catalog(self, request, fmt):
        return public_view("catalog.catalog_view")(request, self, fmt)

    @path("catalog/")
    def catalog_negotiated(self, request):
        return public_view("catalog.catalog_view")(request, self, None)

    @path("feed.atom/")
    def feed(self, request):
        return public_view("feeds.register_feed")(request, self)

    @path("glossary/")
    def glossary_page(self, request):
        return public_view("glossary.register_glossary")(request, self)

    @path("id/<uuid:key>/")
    def permalink(self, request, key):
        """The entry's identifier URI resolves to its page, wherever it has moved since."""
        return public_view("identifiers.resolve_identifier")(request, key)


# Fields whose values the standard's own rules normalise (validate_value).
_STANDARD_ATTRIBUTES = frozenset(d.attribute for d in standard.scalar_fields())


class AlgorithmPage(RoutablePageMixin, StandardFields, Page):
    """One algorithm: every input key of Publicatiestandaard 1.0, plus local extensions."""

    # Local extensions: asked for by residents, not part of the national standard.
    department = models.CharField(
        _("responsible department"),
        max_length=200,
        blank=True,
        help_text=_(
            "Local field, not in the national standard: the team or department responsible for this algorithm."
        ),
    )
    objection_procedure = RichTextField(
        _("objection and appeal"),
        blank=True,
        features=["ol", "ul", "link"],
        help_text=_(
            "Local field, not in the national standard: how residents can object to or appeal a decision in which this algorithm played a part."
        ),
    )
    next_review_date = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        help_text=_(
            "Local field, not in the national standard: when the organisation will next review this algorithm."
        ),
    )
    # The national register's id (LARS code) of this algorithm, when it is also
    # published there: typed in by an editor, read by the import, or stored by the
    # national upload exporter. Not an input key of the standard (it is the national
    # register's system key ``lars``), so it is kept out of the generated fields.
    lars = models.CharField(
        _("national register ID"),
        max_length=8,
        blank=True,
        db_index=True,
        help_text=_(
            "The eight-digit ID (LARS code) of this algorithm in the national Algorithm Register, if it is published there. The public page links to it."
        ),
    )
    # The editor's note on what changed, shown with this version in the public version
    # history. Wagtail has no note per page revision, so it is a field: saved in each
    # revision's content, emptied on the live row after publishing and offered empty
    # in the next edit (see wagtail_algoregister.history).
    change_note = models.TextField(
        _("what has changed?"),
        max_length=500,
        blank=True,
        help_text=_(
            "Optional: tell residents in one or two sentences what you changed and why. It is shown with this version in the public list of versions after publishing, and is empty again for the next change."
        ),
    )
    body = StreamField(
        AlgorithmBodyBlock(),
        blank=True,
        verbose_name=_("extra content"),
        help_text=_(
            "Optional: extra explanation, questions and answers, contact details or legal links."
        ),
    )

    parent_page_types = ["wagtail_algoregister.AlgorithmRegisterPage"]
    subpage_types = []

    search_fields = (
        Page.search_fields
        + [
            index.SearchField(d.attribute)
            for d in standard.scalar_fields()
            if d.attribute != "title" and not d.is_multiple_choice
        ]
        + [
            # The titles in the link groupings (laws, impact assessments, data sources).
            index.RelatedFields(d.attribute, [index.SearchField("title")])
            for d in standard.grouping_fields()
        ]
        + [
            index.SearchField("theme_labels"),
            index.SearchField("department"),
            # Word beginnings ("schuld" finds "schulden") where the backend does not stem
            # (SQLite; see listing.search). The title is one already (Page.search_fields).
            *(
                index.AutocompleteField(name)
                for name in ("description_short", "tags", "theme_labels", "department")
            ),
            index.SearchField("objection_procedure"),
            index.SearchField("body"),
            index.FilterField("status"),
            index.FilterField("publication_category"),
            index.FilterField("department"),
        ]
    )

    # Wagtail API v2: every key of the standard by its attribute (``name`` is the
    # page's ``title``, ``url`` is ``source_url``), the local fields and the
    # stable identifier. Only live, public pages are served (see wagtail_algoregister.api).
    api_fields = entry_api_fields()
    api_meta_fields = ["last_published_at"]

    class Meta:
        verbose_name = _("algorithm")
        verbose_name_plural = _("algorithms")

    # -- the standard ----------------------------------------------------------

    @property
    def identifier_uri(self):
        """A stable, absolute URI for this entry (resolves through the register).

        Based on the translation key, not the slug, so renaming the page keeps it.
        Exporters freeze the value they first sent.
        """
        register = self.get_parent()
        return identifier_uri(register.full_url if register else "", self.translation_key)

    @property
    def national_register_url(self):
        """This entry's page in the national Algorithm Register, when its LARS code is known.

        The national site redirects ``/<language>/algoritme/<lars>`` to the full page URL.
        """
        if not self.lars:
            return ""
        language = "en" if translation.get_language() == "en" else "nl"
        base = algoregister_settings.NATIONAL_REGISTER_URL.rstrip("/")
        return f"{base}/{language}/algoritme/{self.lars}"

    def theme_labels(self):
        """The themes as words, in Dutch and in English, for full-text search."""
        definition = standard.get("category")
        values = list(self.category or [])
        with translation.override("en"):
            english = [str(definition.value_label(value)) for value in values]
        return " ".join(values + english)

    @property
    def register(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def standard_value(self, key):
        """The stored value of one key of the standard (groupings as lists of dicts)."""
        definition = standard.get(key)
        if definition.is_grouping:
            return [
                {item_key: getattr(link, item_key) for item_key in definition.items}
                for link in getattr(self, definition.attribute).all()
            ]
        return getattr(self, definition.attribute)

    def normalise_standard_fields(self, text_links=()):
        """Pass the text gate (:mod:`~wagtail_algoregister.models.cleaning`) and apply the standard's normalisation (allowed HTML only, whitespace) in place.

        Returns the validation errors by model attribute; ``text_links``: keys of link
        fields whose text is accepted (see ``link_values``).
        """
        clean_text_fields(self, skip=_STANDARD_ATTRIBUTES)
        errors = {}
        for definition in standard.scalar_fields():
            value, problems = validate_value(
                definition,
                getattr(self, definition.attribute),
                text_links=definition.key in text_links,
            )
            setattr(self, definition.attribute, value)
            if problems:
                errors[definition.attribute] = problems
        # The editor marks each paragraph with a random key the first time it saves text
        # made elsewhere (demo, import); kept, the history would show "objection and appeal"
        # as changed when nobody touched it. The standard's fields lose it above.
        self.objection_procedure = BLOCK_KEY.sub("", self.objection_procedure or "")
        begin, end = self.begin_date, self.end_date
        if (
            begin
            and end
            and "begin_date" not in errors
            and "end_date" not in errors
            and end < begin
        ):
            errors["end_date"] = [_("The end date is before the begin date.")]
        return errors

    def clean(self):
        """The standard's rules, and the LARS code's form.

        The admin's form sets ``is_deferred_validation`` while it saves a draft (Wagtail
        defers required fields then): the values are normalised, and nothing else is
        checked, so work in progress can always be saved. Publishing, submitting for
        moderation and saving a live page (``Page.save`` cleans it in full) check all.
        """
        super().clean()
        # Text an import stored in a link field may stay; a value typed now must be a
        # web address.
        errors = self.normalise_standard_fields(text_links=kept_text_links(self))
        self.lars = (self.lars or "").strip()
        if self.lars and not is_lars(self.lars):
            errors["lars"] = [
                _(
                    "This is not an ID of the national Algorithm Register: it has eight digits, the last one a check digit."
                )
            ]
        elif self.lars:
            clash = (
                AlgorithmPage.objects.filter(lars=self.lars)
                .exclude(translation_key=self.translation_key)
                .first()
            )
            if clash is not None:
                errors["lars"] = [
                    _(
                        "This national register ID belongs to another algorithm: “%(title)s”. Every algorithm has its own ID; leave it empty for a new algorithm, the national register gives it one."
                    )
                    % {"title": clash.title}
                ]
        if errors and not getattr(self, "is_deferred_validation", False):
            raise ValidationError(errors)

    # Wagtail's "Copy" makes a new algorithm: the copy gets its own stable id and source
    # id and no national register ID, so the exporters create new remote entries for it
    # and leave the original's alone. A copy for translation (same translation key) takes
    # them back from the entry it translates: see save().
    exclude_fields_in_copy = ["lars", "source_id"]

    def save(self, *args, **kwargs):
        # Normalise on every save too, so that content created in code never
        # stores HTML the standard does not allow.
        self.normalise_standard_fields()
        if self._state.adding and not (self.source_id and self.lars):
            # A translation is the same algorithm: the same source id and national ID.
            sibling = (
                AlgorithmPage.objects.filter(translation_key=self.translation_key)
                .exclude(pk=self.pk)
                .only("source_id", "lars")
                .first()
            )
            if sibling is not None:
                self.source_id = self.source_id or sibling.source_id
                self.lars = self.lars or sibling.lars
        if not self.source_id:
            self.source_id = str(self.translation_key)
        return super().save(*args, **kwargs)

    @classmethod
    def filter_entries(cls, queryset, *, theme=None, status=None, publication_category=None):
        if theme:
            queryset = queryset.filter(ChoiceListField.contains_q("category", theme))
        if status:
            queryset = queryset.filter(status=status)
        if publication_category:
            queryset = queryset.filter(publication_category=publication_category)
        return queryset

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = algoregister_settings.BASE_TEMPLATE
        parent = self.get_parent()
        register = parent.specific if parent else None
        register = register if isinstance(register, AlgorithmRegisterPage) else None
        context["register"] = register
        # Terms in the entry's texts link to the glossary, each the first time it is used:
        # in the language the entry is written in.
        context["glossary"] = SimpleLazyObject(
            lambda: (
                register.glossary(request, self.locale_id)
                if register
                else GlossaryTerm.glossary(self.locale_id)
            ).linker()
        )
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("export.<str:fmt>/")
    def export(self, request, fmt):
        return public_view("exports.entry_export")(request, self, fmt)

    # The public history and the feedback form (see wagtail_algoregister.views).

    @path("versions/")
    def versions(self, request):
        return public_view("versions.entry_versions")(request, self)

    @path("versions/<int:number>/")
    def version(self, request, number):
        return public_view("versions.entry_version")(request, self, number)

    @path("feedback/")
    def feedback(self, request):
        return public_view("feedback.entry_feedback")(request, self)

    @path("feedback/received/")
    def feedback_received(self, request):
        return public_view("feedback.feedback_received")(request, self)
