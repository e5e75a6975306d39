"""The exporter interface: one export target, such as one CKAN portal or the national
register, configured like Wagtail's search backends and wagtail-localize's machine
translators, by a dotted path and its options::

    WAGTAIL_ALGOREGISTER = {
        "EXPORTERS": {
            "donl": {"BACKEND": "ckan_export.exporter.CkanExporter", "URL": "...", ...},
            "national": {"BACKEND": "national_export.exporter.NationalExporter", ...},
        }
    }

An exporter subclasses :class:`BaseExporter` and gives:

- ``option_defaults`` (every option it takes; :data:`REQUIRED` for those without a
  default), ``validate_options()`` (bad values, one sentence each) and ``setup()``
  (read the options once);
- ``publish(record, page, full=...)``: send one public entry (create or update) and
  return :meth:`BaseExporter.succeeded`; ``withdraw(record)``: take it away;
- ``remote_link(record)``: (text, URL) of the entry at the target, for editors;
- ``remote_entries()``: the target's active entries of ours, for the invariant check
  (:mod:`wagtail_algoregister.sync.invariant`);
- optionally ``prepare_run()``/``finish_run()`` (one listing per run, an orphan check),
  ``quick_outcome()`` and ``fingerprint_parts()``.

Failures are raised as :mod:`wagtail_algoregister.sync.errors` (transient or permanent).
Everything else comes from here: one :class:`~wagtail_algoregister.models.SyncRecord` per
entry and exporter, synced under its row lock (two workers never send one entry twice),
which entries belong there, outcomes, the retry chain, the tasks and signals
(:mod:`.tasks`, :mod:`.signals`), the command ``algoregister_sync``, the report and the
entry's status (:mod:`.report`, :mod:`.status`).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from wagtail_algoregister.compat import set_parent
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, SyncRecord

from . import tasks
from .engine import (
    COUNTED,
    MAX_ATTEMPTS,
    Outcome,
    backoff,
    canonical_hash,
    entry_page,
    is_current,
)
from .errors import SyncError


logger = logging.getLogger(__name__)

#: The default of an option that must be given.
REQUIRED = object()
State = SyncRecord.State


@dataclass(frozen=True)
class RemoteEntry:
    """One active entry at the target that carries our mark (our identifier)."""

    remote_id: str  # the target's id (dataset id, national register ID)
    key: str  # the entry key it belongs to ("" when it matches none: an orphan)
    title: str
    text: str = ""  # the short description as the target holds it


class BaseExporter:
    #: What the target is, for editors (the report and the entry's status).
    verbose_name = _("Export")
    #: How the report names the withdrawn state at this target.
    withdrawn_label = _("Withdrawn")
    #: Every option the exporter takes, with its default (:data:`REQUIRED`: none).
    option_defaults = {"REGISTERS": None}
    #: Options whose value is the name of an environment variable holding a secret.
    environment_options = ()
    #: Options that hold a secret themselves (tests only): never shown or hashed.
    secret_options = ()

    def __init__(self, name: str, options: dict | None = None, *, dry_run: bool = False):
        options = {k: v for k, v in (options or {}).items() if k != "BACKEND"}
        problems = self.check_options(options)
        if problems:
            raise ImproperlyConfigured(
                f"WAGTAIL_ALGOREGISTER['EXPORTERS'][{name!r}]: {'; '.join(problems)}"
            )
        self.name = name
        self.options = {**self.defaults(), **options}
        self.dry_run = dry_run
        self._public = set()  # ids of the public entries, when wanted_pages() listed them
        self.setup()

    # -- options ---------------------------------------------------------------------

    @classmethod
    def defaults(cls) -> dict:
        return {k: v for k, v in cls.option_defaults.items() if v is not REQUIRED}

    @classmethod
    def check_options(cls, options: dict) -> list[str]:
        """What is wrong with these options (one sentence each, for developers); []."""
        problems = [
            f"unknown option {key!r} (known: {', '.join(sorted(cls.option_defaults))})"
            for key in options
            if key != "BACKEND" and key not in cls.option_defaults
        ]
        problems += [
            f"{key} is required"
            for key, default in cls.option_defaults.items()
            if default is REQUIRED and options.get(key) in (None, "")
        ]
        if problems:
            return problems
        merged = {**cls.defaults(), **options}
        registers = merged.get("REGISTERS")
        if registers is not None and not isinstance(registers, list | tuple):
            problems.append("REGISTERS must be None or a list of page ids or URL paths")
        return problems + cls.validate_options(merged)

    @classmethod
    def validate_options(cls, options: dict) -> list[str]:
        """Problems with the options' values (every option is there, defaults filled in)."""
        return []

    @classmethod
    def missing_environment(cls, options: dict) -> list[tuple[str, str]]:
        """(option, variable) of each named environment variable that is not set, where
        the secret is needed and not given directly (``TOKEN`` beside ``TOKEN_ENV``)."""
        options = {**cls.defaults(), **options}
        missing = []
        for key in cls.environment_options:
            name = options.get(key)
            direct = key.removesuffix("_ENV")
            if name and not os.environ.get(name) and not options.get(direct):
                missing.append((key, name))
        return missing

    def setup(self):
        """Read the options (called once at the end of ``__init__``)."""

    def public_settings(self) -> dict:
        """The options without secrets (for fingerprints and the report)."""
        return {k: v for k, v in self.options.items() if k not in self.secret_options}

    @property
    def registers(self):
        """The ``REGISTERS`` option: None for all registers, else page ids or URL paths."""
        registers = self.options.get("REGISTERS")
        return tuple(registers) if registers is not None else None

    # -- what an exporter implements ---------------------------------------------------

    def publish(self, record, page, *, full: bool = False) -> Outcome:
        """Make the target hold ``page`` (public, default locale) and return
        :meth:`succeeded`; raise a :class:`~.errors.SyncError` when it cannot."""
        raise NotImplementedError

    def withdraw(self, record) -> Outcome:
        """Take the entry off the target (``record.state`` is not withdrawn yet) and
        return :meth:`withdrawn`, or :meth:`withdrawn` with ``sent=False`` when it never
        got there."""
        raise NotImplementedError

    def remote_link(self, record) -> tuple[str, str] | None:
        """(text, URL) of the entry at the target, or None when it has none there."""
        return None

    def remote_entries(self) -> list[RemoteEntry]:
        """Every active entry of ours at the target (for checks and tests)."""
        raise NotImplementedError

    def describe(self) -> str:
        """One sentence for editors about where entries go (no account, no secret)."""
        return str(self.verbose_name)

    def credentials_warning(self) -> str:
        """Why the exporter will be refused for lack of credentials, or "" (the command
        says so before it starts)."""
        missing = self.missing_environment(self.options)
        return "; ".join(f"{key}: set {name} in the environment" for key, name in missing)

    def fingerprint_parts(self) -> list:
        """What besides the entry and its register a payload is built from."""
        return [type(self).__name__, self.public_settings()]

    # -- which entries belong there -----------------------------------------------------

    def records(self):
        return SyncRecord.objects.filter(exporter=self.name)

    def applies_to(self, register) -> bool:
        """Does this exporter take the entries of this register (``REGISTERS`` option)?"""
        if self.registers is None:
            return True
        refs = {str(register.pk), register.url_path, register.url or ""}
        return any(str(ref) in refs for ref in self.registers)

    def wanted(self, page) -> bool:
        """Is this entry public: live, in the default locale, in a live register this
        exporter covers, with no view restriction on itself or any page above it?"""
        if page is None or not page.live:
            return False
        register = page.get_parent().specific
        if not (
            register.live
            and isinstance(register, AlgorithmRegisterPage)
            and self.applies_to(register)
        ):
            return False
        if page.pk in self._public:
            return True  # listed by wanted_pages(): default locale and public (saves queries)
        return (
            page.locale_id == self.default_locale.pk
            and AlgorithmPage.objects.filter(pk=page.pk).public().exists()
        )

    @cached_property
    def default_locale(self):
        return Locale.get_default()

    def wanted_pages(self) -> dict:
        """{entry key: (page, register)} of every entry that belongs there, in few queries."""
        registers = {
            r.path: r for r in AlgorithmRegisterPage.objects.filter(live=True) if self.applies_to(r)
        }
        wanted, self._public = {}, set()
        pages = (
            AlgorithmPage.objects.live()
            .public()
            .filter(locale=self.default_locale)
            .select_related("locale")
            .order_by("pk")
        )
        for page in pages:
            register = registers.get(page.path[: -AlgorithmPage.steplen])
            if register is None:
                continue
            self._public.add(page.pk)
            set_parent(page, register)  # get_parent() needs no query
            wanted[page.translation_key] = (page, register)
        return wanted

    def fingerprint(self, page, register=None) -> str:
        """What a payload is built from; equal fingerprints give equal payloads."""
        register = register or page.get_parent().specific
        return canonical_hash(
            page.last_published_at,
            page.url_path,
            register.last_published_at,
            register.organisation_code,
            register.organisation_name,
            *self.fingerprint_parts(),
        )

    # -- one entry ----------------------------------------------------------------------

    def sync_key(self, key, *, page=None, full=False, restart=False, retry=None) -> Outcome:
        """Bring one entry's remote copy in line with the entry, under the record's lock.

        The tries of a record form one retry chain with at most one queued retry:
        ``restart`` (a publish, an editor's "Send again") starts a new chain, replacing
        the queued retry; ``retry`` is the id of the retry task that runs, which does
        nothing when a newer chain replaced it. Other calls (the command) continue the
        chain. A transient failure queues the chain's next retry in the same transaction.
        """
        with transaction.atomic():
            record, created = SyncRecord.objects.get_or_create(exporter=self.name, entry_key=key)
            if not created:  # a new row is locked by the insert already
                record = SyncRecord.objects.select_for_update().get(pk=record.pk)
            if retry is not None and record.retry_task_id != retry:
                if created:
                    record.delete()
                return Outcome("superseded", entry=record.entry_title or str(key))
            if restart:
                record.attempts = 0
            if page is None or not is_current(page):
                page = entry_page(key)
            if page is not None:
                record.page_id, record.entry_title = page.pk, page.title[:255]
            else:
                record.page_id = None
            try:
                if self.wanted(page):
                    outcome = self.publish(record, page, full=full)
                    record.source_fingerprint = self.fingerprint(page)
                elif record.state == State.WITHDRAWN:
                    outcome = Outcome("skipped")
                else:
                    outcome = self.withdraw(record)
            except SyncError as e:
                outcome = self.failed(record, e)
            outcome.entry = record.entry_title or str(key)
            if self.dry_run:
                transaction.set_rollback(True)
            elif created and outcome.action == "skipped":
                record.delete()  # never sent anywhere: nothing to remember
            else:
                self._schedule(record, outcome, retry)
                record.save()
        return outcome

    def succeeded(self, record, action: str) -> Outcome:
        """Note a successful ``action`` (created, updated, unchanged) on the record."""
        record.state = State.SYNCED
        record.last_action, record.last_error = action, ""
        record.attempts, record.next_attempt_at = 0, None
        if action != "unchanged":
            record.last_synced_at = timezone.now()
        return Outcome(action)

    def withdrawn(self, record, *, sent: bool = True) -> Outcome:
        """Note that the entry is off the target (``sent``: we took it off just now)."""
        if sent:
            self.succeeded(record, "withdrawn")
        record.state, record.source_fingerprint = State.WITHDRAWN, ""
        return Outcome("withdrawn" if sent else "skipped")

    def failed(self, record, error) -> Outcome:
        record.attempts += 1
        record.last_error = error.message
        record.last_action = "failed"
        if error.transient and record.attempts < MAX_ATTEMPTS:
            record.state = State.PENDING
            record.next_attempt_at = timezone.now() + backoff(record.attempts)
        else:
            record.state = State.FAILED
            record.next_attempt_at = None
        logger.warning("%s: %s failed: %s", self.name, record.entry_key, error.message)
        return Outcome("failed", error.message, transient=error.transient)

    def _schedule(self, record, outcome, retry):
        """One queued retry per record: the chain's next one, replacing any other."""
        queued, record.retry_task_id = record.retry_task_id, ""
        if outcome.action == "failed" and record.next_attempt_at is not None:
            record.retry_task_id = tasks.queue_retry(
                self.name, record.entry_key, record.next_attempt_at
            )
        if queued and queued != retry:
            tasks.discard(queued)

    # -- a whole run --------------------------------------------------------------------

    def quick_outcome(self, wanted, record, full) -> Outcome | None:
        """The outcome without any query or call, when nothing can have changed."""
        if record is None or full:
            return None
        if wanted is None:
            return Outcome("skipped") if record.state == State.WITHDRAWN else None
        if record.state == State.SYNCED and record.source_fingerprint == self.fingerprint(*wanted):
            return Outcome("unchanged")
        return None

    def prepare_run(self, wanted: dict, records: dict, full: bool) -> dict:
        """{key: outcome} of the entries whose outcome is known without a call; the
        place to fetch the target's listing once for a run (raise a SyncError to stop)."""
        keys = set(wanted) | set(records)
        return {key: self.quick_outcome(wanted.get(key), records.get(key), full) for key in keys}

    def finish_run(self, counts: Counter) -> list[Outcome]:
        """After every entry: e.g. remove what matches no entry. Adds to ``counts``."""
        return []

    def run(self, *, full=False, progress=None) -> tuple[Counter, list[Outcome]]:
        """Reconcile every entry with the target, then :meth:`finish_run`.

        Entries unchanged since their last sync are passed without a call; ``full``
        rebuilds and compares them too (still sending only what changed).
        """
        counts = Counter(dict.fromkeys(COUNTED, 0))
        wanted = self.wanted_pages()
        records = {r.entry_key: r for r in self.records()}
        try:
            quick = self.prepare_run(wanted, records, full)
        except SyncError as e:
            counts["failed"] += 1
            entry = getattr(e, "entry", "") or self.name
            return counts, [Outcome("failed", e.message, transient=e.transient, entry=entry)]
        outcomes = self.sync_all(
            wanted, records, quick, full=full, progress=progress, counts=counts
        )
        return counts, outcomes + self.finish_run(counts)

    def sync_all(self, wanted, records, quick, *, full, progress, counts) -> list[Outcome]:
        """Every entry of ``wanted`` (see :meth:`wanted_pages`) and ``records`` (by entry
        key), in key order: ``quick[key]`` when an outcome is known without a call, else
        :meth:`sync_key`. Adds to ``counts``; ``progress(number, total)`` after each."""
        keys = sorted(set(wanted) | set(records), key=str)
        outcomes = []
        for number, key in enumerate(keys, start=1):
            outcome = quick.get(key)
            if outcome is None:
                outcome = self.sync_key(
                    key, page=wanted[key][0] if key in wanted else None, full=full
                )
            if outcome.action in COUNTED:
                counts[outcome.action] += 1
            outcome.entry = outcome.entry or (
                wanted[key][0].title if key in wanted else records[key].entry_title
            )
            outcomes.append(outcome)
            if progress:
                progress(number, len(keys))
        return outcomes

    # -- for editors ----------------------------------------------------------------------

    def state_label(self, state: str) -> str:
        if state == State.WITHDRAWN:
            return str(self.withdrawn_label)
        return str(State(state).label) if state in State.values else state

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}>"
