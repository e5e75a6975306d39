"""The import: validate every entry, match it, then write all in one transaction.

Steps (:func:`run_import`):

1. **Read** the file (:mod:`.readers`) and **map** each record to standard 1.0
   (:func:`.versions.upgrade`, :func:`.eurocities.to_national`).
2. **Fill defaults** the admin would fill: ``organization`` and ``contact_email`` from
   the register (its organisation name and default contact), ``lang`` ``nld`` (the
   only value the standard permits), and ``publication_category`` from
   ``--publication-category`` when the record has none (standards before 1.0 have no
   publication category; it is a legal classification, so it is never guessed).
3. **Validate** with the admin's own rules (:func:`validation.validate_entry`), plus
   the national id (:func:`validation.is_lars`) and the local fields. Every problem is
   one line naming the entry (its row or position and its name), the key and the
   reason, in the active language. Validation normalises: rich text keeps only the
   standard's tags (scripts, styles, event handlers and links never survive), plain
   text with HTML, unknown vocabulary values, malformed dates and URLs (only
   ``http``/``https``) are errors. Nothing is stored that did not pass.
4. **Match** each entry against the register's entries, in one query: by ``source_id``
   (the source's own id, which our exports fill with the entry's stable id) or by
   ``lars`` (the national register's id). Two entries of the file that match the same
   entry, or an entry that matches two different entries, are errors.
5. **Write**, only when no entry is invalid (or ``skip_invalid``), all in one
   ``transaction.atomic()``: new entries are created under the register with a first
   revision, published with ``publish`` and kept as drafts otherwise, in batches
   (:mod:`.bulk`: the rows ``add_child``, ``save_revision`` and ``publish`` would
   write, with their log entries and ``page_published`` signals); a matched entry is
   skipped and reported, unless ``update``: then a new revision is saved the usual
   way when something changed (published with ``publish``; otherwise a draft on top
   of the live version, which stays as it was), and "unchanged" otherwise. Fields the
   file does not have (the local fields, ``lars``, a missing ``source_id``) keep their
   current values. The search and reference indexes are updated once per entry, in
   bulk, by a task per chunk enqueued in the same transaction (:mod:`.tasks`, see
   :func:`deferred_indexing`). ``dry_run`` stops before writing and reports what
   would happen.

Queries per entry are constant: matches and sibling slugs are read once for the whole
file, new entries are written in batches, and each updated entry costs the same
handful of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.formats.downloads import html_to_text
from wagtail_algoregister.importing import bulk, eurocities, readers, tasks, versions
from wagtail_algoregister.importing.apply import apply_candidate
from wagtail_algoregister.importing.indexing import deferred_indexing
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard.validation import (
    TAG_LIKE,
    clean_html,
    is_lars,
    validate_entry,
    validate_value,
)


# Tags kept in the local rich-text field "objection and appeal" (the standard's, less div).
LOCAL_RICH_TEXT_TAGS = ("p", "br", "ul", "ol", "li")
DEPARTMENT_MAX_LENGTH = 200
INDEX_CHUNK = 500  # entries indexed per bulk call (and per prefetch of their links)


class ImportFailed(Exception):
    """The import wrote nothing; ``lines`` say why."""

    def __init__(self, message, lines=()):
        super().__init__(message)
        self.lines = list(lines)


@dataclass
class Options:
    publish: bool = False
    update: bool = False
    dry_run: bool = False
    skip_invalid: bool = False
    publication_category: str = ""
    fmt: str = "auto"


@dataclass
class Candidate:
    """One entry of the file, mapped, validated and matched."""

    label: str
    version: str
    national: dict
    local: dict
    lars: str
    notes: list[str]
    errors: list[str] = field(default_factory=list)
    match: object = None
    action: str = ""  # created, updated, unchanged, skipped, invalid

    @property
    def name(self):
        return str(self.national.get("name") or "").strip()

    @property
    def where(self):
        name = self.name.replace('"', "'")
        if len(name) > 60:
            name = name[:59].rstrip() + "…"
        return f'{self.label} ("{name}")' if name else self.label


@dataclass
class Result:
    candidates: list[Candidate]
    dry_run: bool = False

    def count(self, action):
        return sum(1 for c in self.candidates if c.action == action)

    @property
    def invalid(self):
        return [c for c in self.candidates if c.action == "invalid"]

    def summary(self) -> str:
        counts = {
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skipped"),
            "invalid": self.count("invalid"),
        }
        text = (
            _(
                "created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
                "skipped: %(skipped)s, invalid: %(invalid)s"
            )
            % counts
        )
        return (
            _("Dry run, nothing written: %(summary)s") % {"summary": text} if self.dry_run else text
        )


# -- mapping and validation ---------------------------------------------------------


def _strip_label(definition, message: str) -> str:
    prefix = f"{definition.label}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def build_candidate(record: readers.Record, register, options: Options) -> Candidate:
    """Map, complete and validate one record (pure apart from reading ``register``)."""
    if record.kind == "eurocities":
        upgraded = eurocities.to_national(record.data)
    else:
        upgraded = versions.upgrade(record.data)
    national = upgraded.national
    # Our own downloads fill an empty ``url`` with the entry's public URL (``public_url``);
    # read back, that default is empty again, so that a round trip changes nothing (and a
    # demo site's http:// address is not refused as the source registration's link).
    public_url = record.data.get("public_url") if isinstance(record.data, dict) else None
    if public_url and str(national.get("url") or "").strip() == str(public_url).strip():
        national["url"] = ""
    defaults = {
        "organization": getattr(register, "organisation_name", "") or "",
        "contact_email": getattr(register, "default_contact_email", "") or "",
        "lang": "nld",
        "publication_category": options.publication_category,
    }
    for key, value in defaults.items():
        if value and not national.get(key):
            national[key] = value
    normalised, problems = validate_entry(national)
    candidate = Candidate(
        label=record.label,
        version=upgraded.version,
        national=normalised,
        local={},
        lars=upgraded.lars,
        notes=upgraded.notes,
    )
    # Keep the source's name for messages even when it failed validation.
    if not normalised.get("name") and national.get("name"):
        normalised["name"] = str(national["name"])[:100]
    for key, messages in problems.items():
        definition = standard.get(key)
        for message in messages:
            if key == "publication_category" and not national.get(key):
                message = _(
                    "this field is required (standards before 1.0 have no publication "
                    "category: give it with --publication-category)."
                )
            candidate.errors.append(f"{key}: {_strip_label(definition, message)}")
    for messages in upgraded.errors.values():
        candidate.errors.extend(messages)
    if candidate.lars:
        candidate.lars = candidate.lars.strip()
        if not is_lars(candidate.lars):
            candidate.errors.append(
                "lars: "
                + _(
                    "“%(value)s” is not an ID of the national register (eight digits, the last a check digit)."
                )
                % {"value": candidate.lars[:40]}
            )
    candidate.local = _local_fields(upgraded.local, candidate.errors)
    return candidate


def _local_fields(local: dict, errors: list[str]) -> dict:
    cleaned = {}
    if "department" in local:
        value = str(local["department"] or "").strip()
        if TAG_LIKE.search(value):
            errors.append("department: " + _("HTML is not allowed in this field; use plain text."))
        elif len(value) > DEPARTMENT_MAX_LENGTH:
            errors.append(
                "department: "
                + _("at most %(limit)s characters are allowed; this text has %(count)s.")
                % {"limit": DEPARTMENT_MAX_LENGTH, "count": len(value)}
            )
        cleaned["department"] = value
    if "objection_procedure" in local:
        text = str(local["objection_procedure"] or "")
        if "<" not in text:
            text = versions._paragraphs(text)
        cleaned["objection_procedure"] = clean_html(text, LOCAL_RICH_TEXT_TAGS)
    if "next_review_date" in local:
        cleaned["next_review_date"] = local["next_review_date"]
    return cleaned


# -- matching -----------------------------------------------------------------------


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


def match(register, candidates):
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
                c.errors.append(
                    f"{kind}: "
                    + _("“%(value)s” is also the %(kind)s of %(other)s in this file.")
                    % {"value": value, "kind": kind, "other": seen[(kind, value)].where}
                )
            seen[(kind, value)] = c
        found = {by_source.get(c.national.get("source_id")), by_lars.get(c.lars)} - {None}
        if len(found) > 1:
            c.errors.append(
                _("source_id and lars match two different entries (page ids %(ids)s).")
                % {"ids": ", ".join(str(p.pk) for p in sorted(found, key=lambda p: p.pk))}
            )
        elif found:
            c.match = found.pop()


# -- writing ------------------------------------------------------------------------


def _state(page) -> dict:
    """What an import can change, to tell "unchanged" from "updated"."""
    state = {key: page.standard_value(key) for key in standard.input_fields()}
    state["lars"] = page.lars
    for attribute in ("department", "objection_procedure", "next_review_date"):
        state[attribute] = getattr(page, attribute)
    return state


def _unique_slug(name, taken: set) -> str:
    base = slugify(name)[:200].strip("-") or "algoritme"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _keep_formatting(candidate, current: dict) -> None:
    """Keep an entry's rich text where the file holds the same text without its HTML.

    Spreadsheets (the national and our own CSV/XLSX) hold rich text as plain text; an
    update from one must not strip the formatting of text that did not change.
    """
    for key, definition in standard.input_fields().items():
        new, old = candidate.national.get(key), current.get(key)
        if (
            definition.is_rich_text
            and new
            and old
            and "<" not in new  # text without any tag (the spreadsheets' form)
            and html_to_text(new) == html_to_text(old)
        ):
            candidate.national[key] = old


def _update(candidate, options) -> str:
    page = candidate.match
    current = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    before = _state(current)
    _keep_formatting(candidate, before)
    apply_candidate(current, candidate, creating=False)
    # Normalise like save() does, so that equal content compares equal.
    current.normalise_standard_fields()
    # With --publish, "unchanged" also means that what the file says is live.
    pending = options.publish and (not page.live or page.has_unpublished_changes)
    if _state(current) == before and not pending:
        return "unchanged"
    revision = current.save_revision()
    if options.publish:
        revision.publish()
    return "updated"


def write(register, candidates, options: Options):
    """Create or update the valid candidates; one transaction (the caller's or ours)."""
    taken = set(register.get_children().values_list("slug", flat=True))
    new = []
    with transaction.atomic(), deferred_indexing():
        for c in candidates:
            if c.errors:
                c.action = "invalid"
            elif c.match is None:
                c.action = "created"
                new.append(c)
            elif not options.update:
                c.action = "skipped"
            elif options.dry_run:
                c.action = "updated"
            else:
                c.action = _update(c, options)
        if options.dry_run:
            return
        pages = bulk.create_entries(
            register,
            new,
            publish=options.publish,
            slug_for=lambda c: _unique_slug(c.name, taken),
        )
        for c, page in zip(new, pages, strict=True):
            c.match = page
        written = [c.match.pk for c in candidates if c.action in ("created", "updated")]
        for start in range(0, len(written), INDEX_CHUNK):
            tasks.index_entries_task.enqueue(written[start : start + INDEX_CHUNK])


# -- the whole import ---------------------------------------------------------------


def prepare(records, register, options: Options) -> list[Candidate]:
    candidates = [build_candidate(record, register, options) for record in records]
    match(register, candidates)
    return candidates


def run_import(path, register, options: Options, *, records=None) -> Result:
    """Import the file at ``path`` into ``register``; raises :class:`ImportFailed`.

    Nothing is written when any entry is invalid (unless ``skip_invalid``) or when
    anything fails while writing: the import is one transaction.
    """
    if options.publication_category:
        _value, problems = validate_value(
            standard.get("publication_category"), options.publication_category
        )
        if problems:
            raise ImportFailed(
                "--publication-category: "
                + _strip_label(standard.get("publication_category"), problems[0])
            )
    try:
        if records is None:
            records = readers.read(path, options.fmt)
    except readers.ReadError as error:
        raise ImportFailed(str(error)) from error
    if not records:
        raise ImportFailed(_("The file holds no entries."))
    candidates = prepare(records, register, options)
    invalid = [c for c in candidates if c.errors]
    if invalid and not options.skip_invalid:
        lines = [f"{c.where}: {error}" for c in invalid for error in c.errors]
        raise ImportFailed(
            _(
                "%(count)s of %(total)s entries are invalid; nothing was imported "
                "(use --skip-invalid to import the valid ones)."
            )
            % {"count": len(invalid), "total": len(candidates)},
            lines,
        )
    write(register, candidates, options)
    return Result(candidates, dry_run=options.dry_run)


def error_lines(result: Result) -> list[str]:
    return [f"{c.where}: {error}" for c in result.invalid for error in c.errors]


_SPACES = re.compile(r"\s+")


def note_lines(result: Result) -> list[str]:
    return [f"{c.where}: {_SPACES.sub(' ', note)}" for c in result.candidates for note in c.notes]
