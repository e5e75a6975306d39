"""The register's facets: what each filters on, and one query for the active ones."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister import standard
from wagtail_algoregister.fields import ChoiceListField


# -- impact assessments -------------------------------------------------------
#
# The national register filters on "DPIA", "IAMA", "Overig" (other) and "Geen"
# (none), derived from the titles in impacttoetsen_grouping. Titles are free
# text with a list of recommended values, so they are matched by pattern:
# "Pre-scan DPIA" is a scan that decides whether a DPIA is needed, not a DPIA,
# and counts as "other"; FRAIA is the English name of the IAMA
# (government.nl: "FRAIA is the English translation of Impact Assessment
# Mensenrechten en Algoritmes").

DPIA_Q = (
    Q(title__icontains="data protection impact assessment")
    | Q(title__icontains="gegevensbeschermingseffectbeoordeling")
    | Q(title__icontains="(dpia)")
    | Q(title__istartswith="dpia")
)
IAMA_Q = (
    Q(title__icontains="iama")
    | Q(title__icontains="fraia")
    | Q(title__icontains="mensenrechten en algoritme")
    | Q(title__icontains="fundamentele rechten en algoritme")
    | Q(title__icontains="fundamental rights and algorithm")
)


def assessment_kind(title):
    """The facet value ("dpia", "iama" or "other") of one impact assessment title."""
    text = (title or "").lower()
    if (
        "data protection impact assessment" in text
        or "gegevensbeschermingseffectbeoordeling" in text
        or "(dpia)" in text
        or text.startswith("dpia")
    ):
        return "dpia"
    if any(
        pattern in text
        for pattern in (
            "iama",
            "fraia",
            "mensenrechten en algoritme",
            "fundamentele rechten en algoritme",
            "fundamental rights and algorithm",
        )
    ):
        return "iama"
    return "other"


def _assessments(condition=None):
    # Looked up in the app registry: the listing sits below the models, which use it.
    model = apps.get_model("wagtail_algoregister", "ImpactAssessment")
    rows = model.objects.filter(page=OuterRef("pk"))
    return Exists(rows.filter(condition) if condition is not None else rows)


# -- facets -------------------------------------------------------------------


class Facet:
    """One facet: a URL parameter, its label, its values and how to filter on them."""

    key = ""
    dynamic = False  # values come from the data, not from a vocabulary

    @property
    def label(self):
        raise NotImplementedError

    def choices(self):
        """``[(value, label)]`` of a vocabulary facet."""
        return []

    def value_q(self, value):
        raise NotImplementedError

    def clean(self, values):
        """The known, distinct values among ``values``, in vocabulary order."""
        wanted = set(values)
        return [value for value, _label in self.choices() if value in wanted]

    def q(self, values):
        result = Q()
        for value in values:
            result |= self.value_q(value)
        return result


class ChoiceFacet(Facet):
    """A key of the standard with one value per entry (status, publication category)."""

    def __init__(self, key, *, alphabetical=False):
        self.key = key
        # Status and publication category have a natural order; themes are easier to scan A to Z.
        self.alphabetical = alphabetical

    @property
    def definition(self):
        return standard.get(self.key)

    @property
    def label(self):
        return self.definition.label

    def choices(self):
        choices = self.definition.choices
        if self.alphabetical:
            choices = sorted(choices, key=lambda choice: str(choice[1]).lower())
        return choices

    def value_q(self, value):
        return Q(**{self.definition.attribute: value})


class ChoiceListFacet(ChoiceFacet):
    """A key of the standard with a list of values per entry (themes)."""

    def value_q(self, value):
        return ChoiceListField.contains_q(self.definition.attribute, value)


class ImpactAssessmentFacet(Facet):
    key = "impact_assessment"

    @property
    def label(self):
        return standard.get("impacttoetsen_grouping").label

    def choices(self):
        return [
            ("dpia", _("DPIA")),
            ("iama", _("IAMA")),
            ("other", _("Other assessment")),
            ("none", _("No assessment listed")),
        ]

    def value_q(self, value):
        if value == "dpia":
            return Q(_assessments(DPIA_Q))
        if value == "iama":
            return Q(_assessments(IAMA_Q))
        if value == "other":
            return Q(_assessments(~DPIA_Q & ~IAMA_Q))
        if value == "none":
            return ~Q(_assessments())
        return Q(pk__in=[])


class DepartmentFacet(Facet):
    """The local field "responsible department": free text, values from the data."""

    key = "department"
    dynamic = True

    @property
    def label(self):
        return _("Responsible department")

    def clean(self, values):
        seen = []
        for value in values:
            value = value.strip()[:200]
            if value and value not in seen:
                seen.append(value)
        return seen

    def value_q(self, value):
        return Q(department=value)


def facets():
    """The register's facets, in the order the page shows them."""
    return [
        ChoiceFacet("status"),
        ChoiceFacet("publication_category"),
        ChoiceListFacet("category", alphabetical=True),
        ImpactAssessmentFacet(),
        DepartmentFacet(),
    ]


def facet_keys():
    return [facet.key for facet in facets()]


def filter_q(active, *, facet_list=None):
    """One Q for the active facet filters: OR within a facet, AND across facets."""
    result = Q()
    for facet in facet_list or facets():
        values = active.get(facet.key)
        if values:
            result &= facet.q(values)
    return result


def filter_entries(queryset, active):
    """``queryset`` restricted by ``{facet key: values}``.

    The facets become one ``id IN (subquery)`` condition, so the result can still
    be searched with Wagtail search (``id`` is indexed as a filter field).
    """
    q = filter_q(active)
    if not q:
        return queryset
    return queryset.filter(id__in=queryset.model.objects.filter(q).values("pk"))
