"""The admin's listing of entries: a page viewset with filters on the standard's vocabularies."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage


def _choice_filter(key, **kwargs):
    definition = standard.get(key)
    return django_filters.ChoiceFilter(label=definition.label, choices=definition.choices, **kwargs)


class AlgorithmFilterSet(PageFilterSet):
    status = _choice_filter("status")
    publication_category = _choice_filter("publication_category")
    theme = _choice_filter("category", method="filter_theme")

    def filter_theme(self, queryset, name, value):
        return AlgorithmPage.filter_entries(queryset, theme=value)

    class Meta:
        model = AlgorithmPage
        fields = []


class ValueLabelColumn(Column):
    """Shows a vocabulary value by its label in the editor's language."""

    def __init__(self, name, key, label=None, **kwargs):
        self.definition = standard.get(key)
        super().__init__(name, label=label or self.definition.label, **kwargs)

    def get_value(self, instance):
        value = super().get_value(instance)
        if isinstance(value, list):
            return ", ".join(str(self.definition.value_label(v)) for v in value)
        return self.definition.value_label(value) if value else ""


class AlgorithmPageViewSet(PageViewSet):
    """Lists the entries of a register with filters on the standard's vocabularies."""

    model = AlgorithmPage
    parent_models = [AlgorithmRegisterPage]
    icon = "table"
    menu_label = _("Algorithms")
    filterset_class = AlgorithmFilterSet
    columns = [
        *[
            c
            for c in PageViewSet.index_view_class.base_columns
            if c.name in ("bulk_actions", "title", "parent")
        ],
        # Not "Status": the page's own status column is called that.
        ValueLabelColumn(
            "algorithm_status",
            "status",
            label=_("Algorithm status"),
            accessor="status",
            sort_key="status",
            width="12%",
        ),
        ValueLabelColumn(
            "publication_category",
            "publication_category",
            sort_key="publication_category",
            width="14%",
        ),
        ValueLabelColumn("category", "category", width="16%"),
        *[
            c
            for c in PageViewSet.index_view_class.base_columns
            if c.name in ("latest_revision_created_at", "status")
        ],
    ]
