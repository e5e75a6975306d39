"""StreamField blocks for entry pages and for any other page of a site."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_algoregister import standard


TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class ExplanationBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Extra explanation")
        template = "wagtail_algoregister/blocks/explanation.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, default=_("Frequently asked questions")
    )
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "wagtail_algoregister/blocks/faq.html"


class ContactBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, default=_("Contact"))
    name = blocks.CharBlock(label=_("Team or department"), max_length=200, required=False)
    email = blocks.EmailBlock(label=_("E-mail address"), required=False)
    phone = blocks.CharBlock(label=_("Telephone number"), max_length=40, required=False)
    url = blocks.URLBlock(label=_("Contact form or web page"), required=False)
    hours = blocks.CharBlock(label=_("Opening hours"), max_length=200, required=False)

    class Meta:
        icon = "mail"
        label = _("Contact")
        template = "wagtail_algoregister/blocks/contact.html"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), max_length=standard.get("lawful_basis_grouping").items["title"].max_length
    )
    link = blocks.URLBlock(label=_("Link"))

    class Meta:
        icon = "link"


class LegalBasisLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, default=_("Laws and regulations")
    )
    links = blocks.ListBlock(LinkBlock(), label=_("Links"), min_num=1)

    class Meta:
        icon = "link"
        label = _("Legal basis links")
        template = "wagtail_algoregister/blocks/link_list.html"


def _choices(key):
    return blocks.ChoiceBlock(
        choices=standard.get(key).choices, required=False, label=standard.get(key).label
    )


class RegisterListingBlock(blocks.StructBlock):
    """A filtered list of published entries, to embed on any page of the site."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    register = blocks.PageChooserBlock(
        page_type="wagtail_algoregister.AlgorithmRegisterPage",
        required=False,
        label=_("Register"),
        help_text=_("Leave empty to list entries of every register on this site."),
    )
    theme = _choices("category")
    status = _choices("status")
    publication_category = _choices("publication_category")
    limit = blocks.IntegerBlock(
        label=_("Maximum number of entries"), default=5, min_value=1, max_value=50
    )

    class Meta:
        icon = "list-ul"
        label = _("Algorithm register listing")
        template = "wagtail_algoregister/blocks/register_listing.html"

    def get_register(self, value, locale=None):
        """The chosen register, in ``locale`` when it has a translation there."""
        register = value.get("register")
        if register is not None and locale is not None and register.locale_id != locale.pk:
            register = register.get_translation_or_none(locale) or register
        return register

    def get_entries(self, value, request=None, locale=None):
        """Published entries by the block's filters; only ``locale``'s when given (the
        page's own language: a Dutch page never lists an English entry)."""
        # From the app registry: the models use these blocks, so this module cannot import them.
        AlgorithmPage = apps.get_model("wagtail_algoregister", "AlgorithmPage")
        entries = AlgorithmPage.objects.live().public()
        register = self.get_register(value, locale)
        if register:
            entries = entries.child_of(register)
        elif request is not None:
            site = getattr(request, "site", None)
            if site is not None:
                entries = entries.in_site(site)
        if locale is not None:
            entries = entries.filter(locale=locale)
        entries = AlgorithmPage.filter_entries(
            entries,
            theme=value.get("theme"),
            status=value.get("status"),
            publication_category=value.get("publication_category"),
        )
        return entries.order_by("title")[: value.get("limit") or 5]

    def all_entries_url(self, value, request=None, locale=None):
        """Where "View all algorithms" goes: the chosen register, else the site's register."""
        register = self.get_register(value, locale)
        if register is None:
            AlgorithmRegisterPage = apps.get_model("wagtail_algoregister", "AlgorithmRegisterPage")
            registers = AlgorithmRegisterPage.objects.live().public()
            site = getattr(request, "site", None) if request is not None else None
            if site is not None:
                registers = registers.in_site(site)
            if locale is not None:
                registers = registers.filter(locale=locale)
            register = registers.order_by("path").first()
        return register.get_url(request) if register is not None and register.live else ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        page = parent_context.get("page") or parent_context.get("self")
        locale = getattr(page, "locale", None)
        if locale is None:
            Locale = apps.get_model("wagtailcore", "Locale")
            locale = Locale.get_active()
        context["entries"] = self.get_entries(value, request, locale)
        context["all_url"] = self.all_entries_url(value, request, locale)
        return context


class AlgorithmBodyBlock(blocks.StreamBlock):
    explanation = ExplanationBlock()
    faq = FAQBlock()
    contact = ContactBlock()
    legal_basis_links = LegalBasisLinksBlock()


class ContentBlock(blocks.StreamBlock):
    """Blocks for any page of a site, including the register listing."""

    paragraph = blocks.RichTextBlock(label=_("Text"), features=["h2", "h3", *TEXT_FEATURES])
    explanation = ExplanationBlock()
    faq = FAQBlock()
    contact = ContactBlock()
    register_listing = RegisterListingBlock()
