"""Facet counts: how many entries each facet value would give."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from wagtail_algoregister.listing.facets import facets, filter_q


# -- facet counts -------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    id: str = ""


@dataclass
class FacetResult:
    key: str
    label: str
    options: list[Option]

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


def facet_counts(queryset, params, restriction=None):
    """Counts per facet value under the *other* active filters (standard faceting).

    Facets that share the same set of other filters are counted together in one
    aggregate query; the department facet (values from the data) is one
    ``GROUP BY`` query per distinct filter set.
    """
    return facet_results(count_facet_values(queryset, params, restriction), params)


def count_facet_values(queryset, params, restriction=None):
    """``{facet key: {value: count}}``: the numbers behind :func:`facet_counts`."""
    facet_list = facets()
    active = params.active
    if restriction is not None:
        queryset = queryset.filter(restriction)
    groups = defaultdict(list)
    for facet in facet_list:
        others = tuple(sorted((k, tuple(v)) for k, v in active.items() if k != facet.key))
        groups[others].append(facet)

    counts = {}
    for others, members in groups.items():
        scoped = queryset.filter(filter_q(dict(others), facet_list=facet_list)).order_by()
        aggregates, names = {}, {}
        for number, facet in enumerate(members):
            if facet.dynamic:
                rows = (
                    scoped.exclude(**{facet.key: ""})
                    .values_list(facet.key)
                    .annotate(n=Count("pk"))
                    .order_by(facet.key)
                )
                counts[facet.key] = dict(rows)
                continue
            for index, (value, _label) in enumerate(facet.choices()):
                name = f"f{number}_{index}"
                aggregates[name] = Count("pk", filter=facet.value_q(value))
                names[name] = (facet.key, value)
        if aggregates:
            for name, count in scoped.aggregate(**aggregates).items():
                key, value = names[name]
                counts.setdefault(key, {})[value] = count
    return counts


def facet_results(counts, params):
    """The facets with their options, labels and counts, from :func:`count_facet_values`."""
    facet_list = facets()
    results = []
    for facet in facet_list:
        chosen = set(params.selected.get(facet.key, ()))
        values = counts.get(facet.key, {})
        if facet.dynamic:
            choices = [(value, value) for value in sorted(set(values) | chosen, key=str.lower)]
        else:
            choices = facet.choices()
        options = [
            Option(value=value, label=label, count=values.get(value, 0), selected=value in chosen)
            for value, label in choices
        ]
        # Options that would give no results are left out, unless chosen (so they can be unticked).
        options = [option for option in options if option.count or option.selected]
        for number, option in enumerate(options, start=1):
            option.id = f"ar-{facet.key.replace('_', '-')}-{number}"
        results.append(FacetResult(key=facet.key, label=facet.label, options=options))
    return results
