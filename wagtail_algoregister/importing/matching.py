"""Matching the entries of a file with the register's entries.

- By id, in one query: ``source_id`` (the source's own id, which our downloads fill
  with the entry's stable id) or ``lars`` (the national register's id). Two entries of
  the file with the same id, or an entry whose ids match two different entries, are
  errors.
- **Probable duplicates**: an entry with neither id (the national register's vendor
  templates have none) cannot be matched, so importing its file again would create
  it again. When an entry of the register, or an earlier entry of the file, has the
  same organisation and name (case and spacing aside), it is reported as a probable
  duplicate and not created, unless ``allow_duplicates``.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from wagtail_algoregister.importing.results import Action, Message
from wagtail_algoregister.models import AlgorithmPage


def _existing(register, candidates):
    source_ids = {c.national.get("source_id") for c in candidates if c.national.get("source_id")}
    lars_codes = {c.lars for c in candidates if c.lars}
    if not source_ids and not lars_codes:
        return {}, {}
    pages = list(
        AlgorithmPage.objects.child_of(register).filter(
            Q(source_id__in=source_ids) | Q(lars__in=lars_codes)
        )
    )
    by_source = {p.source_id: p for p in pages if p.source_id}
    by_lars = {p.lars: p for p in pages if p.lars}
    return by_source, by_lars


def match(register, candidates, *, allow_duplicates: bool = False) -> None:
    """Set ``match`` on each valid candidate; duplicates within the file are errors."""
    by_source, by_lars = _existing(register, candidates)
    seen = {}
    for c in candidates:
        if c.errors:
            continue
        keys = []
        if c.national.get("source_id"):
            keys.append(("source_id", c.national["source_id"]))
        if c.lars:
            keys.append(("lars", c.lars))
        for kind, value in keys:
            if (kind, value) in seen:
                c.error(
                    kind,
                    _("“%(value)s” is also the %(kind)s of %(other)s in this file.")
                    % {"value": value, "kind": kind, "other": seen[(kind, value)].where},
                )
            seen[(kind, value)] = c
        found = {by_source.get(c.national.get("source_id")), by_lars.get(c.lars)} - {None}
        if len(found) > 1:
            c.error(
                "",
                _("source_id and lars match two different entries (page ids %(ids)s).")
                % {"ids": ", ".join(str(p.pk) for p in sorted(found, key=lambda p: p.pk))},
            )
        elif found:
            c.match = found.pop()
            c.result.page_id = c.match.pk
        if c.errors:
            c.action = Action.INVALID
    if not allow_duplicates:
        _probable_duplicates(register, candidates)


def _identity(organisation, name) -> tuple[str, str]:
    return (" ".join(str(organisation or "").split()).casefold(), " ".join(name.split()).casefold())


def _probable_duplicates(register, candidates) -> None:
    unmatched = [
        c
        for c in candidates
        if not c.errors and c.match is None and not c.national.get("source_id") and not c.lars
    ]
    if not unmatched:
        return
    names = {" ".join(c.name.split()).lower() for c in unmatched}
    existing = {}
    rows = (
        AlgorithmPage.objects.child_of(register)
        .annotate(lower_title=Lower("title"))
        .filter(lower_title__in=names)
        .order_by("path")
        .values_list("pk", "title", "organization")
    )
    for pk, title, organisation in rows:
        existing.setdefault(_identity(organisation, title), (pk, title))
    earlier = {}
    for c in unmatched:
        identity = _identity(c.national.get("organization"), c.name)
        if identity in existing:
            pk, title = existing[identity]
            c.action = Action.DUPLICATE
            c.result.page_id = pk
            c.result.duplicate_of = _("page %(id)s") % {"id": pk}
            c.result.notes.append(
                Message(
                    _(
                        "probably a duplicate of the entry “%(name)s” (page %(id)s): the same "
                        "organisation and name, and no source_id or national ID to tell them "
                        "apart. Not created; give it a source_id, or import with "
                        "--allow-duplicates to create it anyway."
                    )
                    % {"name": title, "id": pk}
                )
            )
        elif identity in earlier:
            c.action = Action.DUPLICATE
            c.result.duplicate_of = earlier[identity].label
            c.result.notes.append(
                Message(
                    _(
                        "probably a duplicate of %(other)s in this file: the same organisation "
                        "and name, and no source_id or national ID to tell them apart. Not "
                        "created; give it a source_id, or import with --allow-duplicates to "
                        "create it anyway."
                    )
                    % {"other": earlier[identity].where}
                )
            )
        else:
            earlier[identity] = c.result
