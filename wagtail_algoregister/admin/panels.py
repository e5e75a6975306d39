"""Edit panels for entries, grouped like the national register's detail page."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.models import Page

from wagtail_algoregister import standard
from wagtail_algoregister.admin.forms import DatalistInput, YearMonthInput, count_attrs
from wagtail_algoregister.admin.quality import QualityPanel
from wagtail_algoregister.fields import STANDARD_RICH_TEXT_FEATURES
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard import organisations


def _limit_text(limit):
    return gettext("At most %(limit)s characters, not counting formatting.") % {"limit": limit}


def _guidance(definition):
    """The standard's instructions (or help text) plus its limit, for editors."""
    text = definition.instructions_nl and definition.instructions or definition.help_text
    if definition.max_length and definition.format != "year_month":
        return format_lazy("{} {}", text, lazy(_limit_text, str)(definition.max_length))
    return text


def _widget(definition):
    """The input of one value, with a live count when the standard limits its length."""
    limit = definition.max_length if definition.format != "year_month" else None
    if definition.is_rich_text:
        widget = get_rich_text_editor_widget(features=STANDARD_RICH_TEXT_FEATURES)
        if limit:
            controller = widget.attrs.get("data-controller", "")
            widget.attrs.update(count_attrs(limit, rich=True, controller=controller))
        return widget
    if definition.format == "year_month":
        return YearMonthInput()
    if definition.is_choice or definition.is_multiple_choice or not limit:
        return None
    attrs = count_attrs(limit)
    if definition.recommended_items:
        return DatalistInput(definition.recommended_items, attrs=attrs)
    if not definition.format and limit >= 300:
        # A few sentences of plain text (the short description) need room to read back.
        return forms.Textarea(attrs={"rows": 4, **attrs})
    return forms.TextInput(attrs=attrs)


def field_panel(key):
    definition = standard.get(key)
    kwargs = {"heading": definition.label, "help_text": _guidance(definition)}
    if definition.is_grouping:
        item_panels = [
            FieldPanel(
                item_key, heading=item.label, help_text=_guidance(item), widget=_widget(item)
            )
            for item_key, item in definition.items.items()
        ]
        # The heading is the standard's (plural) title; each item and the add button use
        # the row model's singular name ("Impacttoets 1", "Voeg impacttoets toe").
        return InlinePanel(definition.attribute, panels=item_panels, **kwargs)
    if definition.attribute == "title":
        return TitleFieldPanel("title", widget=_widget(definition), **kwargs)
    return FieldPanel(definition.attribute, widget=_widget(definition), **kwargs)


def register_content_panels():
    """The register's panels, with a searchable organisation picker: ~375 organisations
    in a plain select box cannot be searched; a text input with the list as suggestions
    can (type "Utrecht" or "gm0344"), without JavaScript."""
    suggestions = [
        (code, label) for _group, members in organisations.choices() for code, label in members
    ]
    return [
        FieldPanel("organisation_code", widget=DatalistInput(suggestions))
        if getattr(panel, "field_name", panel) == "organisation_code"
        else panel
        for panel in AlgorithmRegisterPage.content_panels
    ]


def entry_edit_handler():
    sections = standard.sections()
    in_sections = {key for section in sections for key in section.keys}
    # The card keys (name, organisation, summary, category and status) lead the first tab.
    leading = [k for k in ("name", "organization", *standard.card_keys()) if k not in in_sections]
    tabs = []
    for number, section in enumerate(sections):
        keys = (leading if number == 0 else []) + list(section.keys)
        panels = [field_panel(key) for key in keys]
        if number == 0:
            # Written when publishing a change; shown in the public version history.
            panels.append(FieldPanel("change_note", widget=forms.Textarea(attrs={"rows": 2})))
        tabs.append(ObjectList(panels, heading=section.label))
    tabs.append(
        ObjectList(
            [
                MultiFieldPanel(
                    [
                        FieldPanel(
                            "department",
                            widget=forms.TextInput(
                                attrs=count_attrs(
                                    AlgorithmPage._meta.get_field("department").max_length
                                )
                            ),
                        ),
                        "objection_procedure",
                        "next_review_date",
                    ],
                    heading=_("Local additions"),
                    help_text=_(
                        "These fields are not part of the national standard. Residents ask for them; they are shown on your site only."
                    ),
                ),
                FieldPanel("body"),
            ],
            heading=_("Local additions"),
        )
    )
    tabs.append(
        ObjectList(
            [field_panel(key) for key in standard.metadata_keys()] + [FieldPanel("lars")],
            heading=_("Metadata"),
        )
    )
    tabs.append(ObjectList([QualityPanel()], heading=_("Quality")))
    tabs.append(ObjectList(Page.promote_panels, heading=_("Promote")))
    tabs.append(ObjectList(Page.settings_panels, heading=_("Settings")))
    return TabbedInterface(tabs)
