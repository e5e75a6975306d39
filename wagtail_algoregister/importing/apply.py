"""Setting an import candidate's values on an entry: shared by new entries (:mod:`.bulk`)
and updates (:mod:`.importer`)."""

from __future__ import annotations

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage


def link_models():
    return {
        d.key: (d.attribute, AlgorithmPage._meta.get_field(d.attribute).related_model)
        for d in standard.grouping_fields()
    }


def apply_candidate(page, candidate, *, creating: bool):
    """Set the candidate's values on ``page`` (an AlgorithmPage, saved or not)."""
    links = link_models()
    for key, definition in standard.input_fields().items():
        value = candidate.national.get(key)
        if key in links:
            attribute, model = links[key]
            setattr(page, attribute, [model(**row) for row in value or []])
        elif key == "source_id" and not value and not creating:
            continue  # keep the entry's own id
        else:
            setattr(page, definition.attribute, value)
    if candidate.lars:
        page.lars = candidate.lars
    for attribute, value in candidate.local.items():
        setattr(page, attribute, value)
