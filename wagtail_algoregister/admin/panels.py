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
from wagtail.models import Page

from wagtail_algoregister import standard
from wagtail_algoregister.admin.forms import DatalistInput, YearMonthInput


def _limit_text(limit):
    return gettext("At most %(limit)s characters, not counting formatting.") % {"limit": limit}


def _guidance(definition):
    """The standard's instructions (or help text) plus its limit, for editors."""
    text = definition.instructions_nl and definition.instructions or definition.help_text
    if definition.max_length and definition.format != "year_month":
        return format_lazy("{} {}", text, lazy(_limit_text, str)(definition.max_length))
    return text


def field_panel(key):
    definition = standard.get(key)
    kwargs = {"heading": definition.label, "help_text": _guidance(definition)}
    if definition.is_grouping:
        item_panels = []
        for item_key, item in definition.items.items():
            widget = DatalistInput(item.recommended_items) if item.recommended_items else None
            item_panels.append(
                FieldPanel(item_key, heading=item.label, help_text=_guidance(item), widget=widget)
            )
        return InlinePanel(
            definition.attribute, panels=item_panels, label=definition.label, **kwargs
        )
    if definition.attribute == "title":
        return TitleFieldPanel("title", **kwargs)
    if (
        not definition.format
        and not definition.is_rich_text
        and (definition.max_length or 0) >= 300
    ):
        # A few sentences of plain text (the short description) need room to read back.
        return FieldPanel(definition.attribute, widget=forms.Textarea(attrs={"rows": 4}), **kwargs)
    if definition.format == "year_month":
        return FieldPanel(definition.attribute, widget=YearMonthInput(), **kwargs)
    return FieldPanel(definition.attribute, **kwargs)


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
                    ["department", "objection_procedure", "next_review_date"],
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
    tabs.append(ObjectList(Page.promote_panels, heading=_("Promote")))
    tabs.append(ObjectList(Page.settings_panels, heading=_("Settings")))
    return TabbedInterface(tabs)
