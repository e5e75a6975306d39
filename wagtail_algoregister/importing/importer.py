"""The import: read, map and validate every entry, match it, then write all in one transaction.

:func:`run_import` is the library API the command (``algoregister_import``) calls and an
admin upload view can call: it takes a file (a path, or bytes with a name), a register
and :class:`Options`, and returns an :class:`~.results.ImportResult` (see
:mod:`.results`), or raises :class:`ImportFailed` with one when it wrote nothing.

Steps:

1. **Read** the file within the limits of the settings (:mod:`.limits`, :mod:`.readers`).
2. **Map, complete and validate** each record (:func:`.candidates.build_candidate`):
   any version of the standard mapped to 1.0 step by step
   (:mod:`wagtail_algoregister.standard.upgrades`), every moved, merged or ignored key
   a note; text in link fields accepted as the national register accepts it, with a
   warning; refusals for what the standard refuses (required keys, vocabularies,
   lengths, dates, HTML in plain text). Rich text keeps only the standard's tags.
3. **Match** (:mod:`.matching`) on ``source_id`` or the national id (``lars``); an
   entry with neither that has the organisation and name of an existing entry is a
   probable duplicate and is not created unless ``allow_duplicates``.
4. **Write**, only when no entry is invalid (or ``skip_invalid``), all in one
   ``transaction.atomic()``: new entries in batches (:mod:`.bulk`: the rows
   ``add_child``, ``save_revision`` and ``publish`` would write), published with
   ``publish``, drafts otherwise; a matched entry is skipped unless ``update``: then
   a new revision is saved when something changed (published with ``publish``,
   otherwise a draft on top of the live version) and "unchanged" otherwise. Fields the
   file does not have (the local fields, ``lars``, a missing ``source_id``) keep their
   values. The search and reference indexes are updated once per entry, in bulk, by a
   task per chunk enqueued in the same transaction (:mod:`.tasks`).
   ``dry_run`` does everything up to the writing: it compares each matched entry just
   as the real run does, so it reports created, updated and unchanged exactly as the
   real run would, with the same field-level changes.

``progress``, when given, is called as ``progress(stage, done, total)`` while the import
runs: ``"reading"``, then ``"checking"`` after each entry, then ``"writing"`` once before
the transaction (what it writes is invisible to others until it commits, so there is
nothing to count inside it). The admin shows it for an import that runs in the
background.

Queries per entry are constant: matches and sibling slugs are read once for the whole
file, new entries are written in batches, and each updated entry costs the same
handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.importing import bulk, readers, tasks
from wagtail_algoregister.importing.apply import apply_candidate, changes, keep_formatting, state
from wagtail_algoregister.importing.candidates import Candidate, build_candidate, strip_label
from wagtail_algoregister.importing.indexing import INDEX_CHUNK, deferred_indexing
from wagtail_algoregister.importing.matching import match
from wagtail_algoregister.importing.results import Action, ImportResult
from wagtail_algoregister.standard.validation import validate_value


class ImportFailed(Exception):
    """The import wrote nothing; ``result`` says why (per entry), ``lines`` as text."""

    def __init__(self, message, lines=(), result: ImportResult | None = None):
        super().__init__(message)
        self.lines = list(lines)
        self.result = result


@dataclass
class Options:
    publish: bool = False  # publish new and updated entries (else drafts)
    update: bool = False  # save a new revision of matched entries that changed
    dry_run: bool = False  # do everything but write
    skip_invalid: bool = False  # import the valid entries when some are invalid
    publication_category: str = ""  # for entries that have none (standards before 1.0)
    fmt: str = "auto"  # see readers.FORMATS
    merge_old_keys: bool = False  # merge keys of older versions in 1.0 records (see upgrades)
    allow_duplicates: bool = False  # create probable duplicates too
    user: object = None  # who imports: the author of the revisions and the log entries


# -- writing ------------------------------------------------------------------------


def _unique_slug(name, taken: set) -> str:
    base = slugify(name)[:200].strip("-") or "algoritme"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _update(candidate: Candidate, options: Options) -> Action:
    """Compare the matched entry with the file; save a revision when it changed (not in a
    dry run). The comparison is the same in a dry run and a real one."""
    page = candidate.match
    current = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    before = state(current)
    keep_formatting(candidate, before)
    apply_candidate(current, candidate, creating=False)
    # Normalise like save() does, so that equal content compares equal.
    current.normalise_standard_fields()
    after = state(current)
    candidate.result.changes = changes(before, after)
    # With --publish, "unchanged" also means that what the file says is live.
    pending = options.publish and (not page.live or page.has_unpublished_changes)
    if after == before and not pending:
        return Action.UNCHANGED
    if not options.dry_run:
        # Validated by the import already, with the national register's tolerance for
        # text in link fields, which the admin form (full_clean) does not extend to new
        # values.
        revision = current.save_revision(user=options.user, clean=False)
        if options.publish:
            revision.publish(user=options.user)
    return Action.UPDATED


def write(register, candidates: list[Candidate], options: Options) -> None:
    """Create or update the valid candidates; one transaction (the caller's or ours)."""
    taken = set(register.get_children().values_list("slug", flat=True))
    new = []
    with transaction.atomic(), deferred_indexing():
        for c in candidates:
            if c.errors:
                c.action = Action.INVALID
            elif c.action == Action.DUPLICATE:
                continue
            elif c.match is None:
                c.action = Action.CREATED
                new.append(c)
            elif not options.update:
                c.action = Action.SKIPPED
            else:
                c.action = _update(c, options)
        if options.dry_run:
            return
        pages = bulk.create_entries(
            register,
            new,
            publish=options.publish,
            slug_for=lambda c: _unique_slug(c.name, taken),
            user=options.user,
        )
        for c, page in zip(new, pages, strict=True):
            c.match = page
            c.result.page_id = page.pk
        written = [c.match.pk for c in candidates if c.action in (Action.CREATED, Action.UPDATED)]
        for start in range(0, len(written), INDEX_CHUNK):
            tasks.index_entries_task.enqueue(written[start : start + INDEX_CHUNK])


# -- the whole import ---------------------------------------------------------------


def _no_progress(stage, done, total):
    pass


def prepare(records, register, options: Options, progress=_no_progress) -> list[Candidate]:
    candidates = []
    for record in records:
        candidates.append(build_candidate(record, register, options))
        progress("checking", len(candidates), len(records))
    match(register, candidates, allow_duplicates=options.allow_duplicates)
    return candidates


def run_import(
    source, register, options: Options, *, records=None, name: str = "", progress=None
) -> ImportResult:
    """Import a file into ``register``; returns an :class:`ImportResult`.

    ``source`` is a path, or the file's bytes (an upload) with its ``name``;
    ``records`` (read already) skips the reading. Raises :class:`ImportFailed`, having
    written nothing, when the file cannot be read or is too large, when any entry is
    invalid (unless ``skip_invalid``), or when anything fails while writing: the import
    is one transaction. Every message of the failure names the file. ``progress``: see
    the module's docstring.
    """
    progress = progress or _no_progress
    if isinstance(source, (bytes, bytearray)):
        file_name = name or "upload"
    else:
        file_name = name or (Path(source).name if source else "")
    result = ImportResult(file_name=file_name, dry_run=options.dry_run)

    def fail(message, lines=()):
        prefix = f"{file_name}: " if file_name else ""
        raise ImportFailed(prefix + message, lines, result)

    if options.publication_category:
        definition = standard.get("publication_category")
        _value, problems = validate_value(definition, options.publication_category)
        if problems:
            fail("--publication-category: " + strip_label(definition, problems[0]))
    if records is None:
        progress("reading", 0, 0)
        try:
            if isinstance(source, (bytes, bytearray)):
                read = readers.read_bytes(bytes(source), options.fmt, name=file_name)
            else:
                read = readers.read(source, options.fmt)
        except readers.ReadError as error:
            fail(str(error))
        records = read.records
        result.messages.extend(read.messages)
    if not records:
        fail(_("The file holds no entries."))
    candidates = prepare(records, register, options, progress)
    result.entries = [c.result for c in candidates]
    invalid = [c for c in candidates if c.errors]
    if invalid and not options.skip_invalid:
        fail(
            _(
                "%(count)s of %(total)s entries are invalid; nothing was imported "
                "(use --skip-invalid to import the valid ones)."
            )
            % {"count": len(invalid), "total": len(candidates)},
            result.error_lines(),
        )
    progress("writing", 0, len(candidates))
    write(register, candidates, options)
    result.written = not options.dry_run
    return result
