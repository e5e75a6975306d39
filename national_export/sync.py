"""The sync engine: makes the national register hold the published entries.

Per entry a :class:`~national_export.models.NationalExportRecord` remembers the
algorithm's LARS code, a hash of the last body sent and of the last body released,
and the outcome. One entry is synced under a row lock, so two workers never create
two algorithms for it. Per entry:

- published, no LARS code yet → ``POST`` (create) → store the returned ``lars_code``
  on the record and on the entry (see :func:`store_lars`) → ``release``;
- published, LARS code known → ``PUT`` (a new version) only when the body changed →
  ``release`` (when ``RELEASE`` is on and this version was not released yet);
- unpublished or deleted → ``DELETE …/retract``.

A create is never sent blindly: the organisation's list (``GET
/organizations/{org}/algorithms``, once per run, or once per new entry in a task) is
searched for the entry's ``source_id`` first, so a create whose answer was lost
(timeout, dropped connection, a worker that died before saving the record) is found
and adopted rather than repeated. The record also notes each create before it is
sent (``create_sent_at``), so a found algorithm whose body matches is not re-sent.

Publishing in the national register is not ours to do: after a release the
register team (ICTU) or the organisation's approver publishes the version.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard.validation import is_lars
from wagtail_algoregister.sync.engine import COUNTED, EntrySync, Outcome, canonical_hash

from .client import InvalidState, NationalClient, NotFound, PermanentError, SyncError
from .conf import NationalRegister
from .mapping import check_body, entry_body
from .models import NationalExportRecord


logger = logging.getLogger(__name__)

MAPPING_VERSION = "1"


def store_lars(key, lars: str) -> int:
    """Put the LARS code on the entry so that its page links to the national page.

    Wagtail publishes a page from a revision's content, so a value written only to
    the page row would be lost on the editor's next publish. The code is written to
    the page rows of the entry (all its translations) with a queryset ``update()``
    (no signals, no new revision, no publish) *and* into the content of each page's
    latest revision and live revision, which later edits and publishes start from.

    The record stays the source of truth: should an editor still clear or overwrite
    the field (an edit form opened before the code was stored), the next sync, which
    every publish triggers, uses the record's code and writes it back.
    Returns the number of page rows changed.
    """
    pages = AlgorithmPage.objects.filter(translation_key=key)
    revision_ids = set()
    for latest, live in pages.values_list("latest_revision_id", "live_revision_id"):
        revision_ids.update(pk for pk in (latest, live) if pk)
    for revision in Revision.objects.filter(pk__in=revision_ids):
        if isinstance(revision.content, dict) and revision.content.get("lars") != lars:
            revision.content["lars"] = lars
            revision.save(update_fields=["content"])
    return pages.exclude(lars=lars).update(lars=lars)


class NationalSync(EntrySync):
    record_model = NationalExportRecord
    sync_error = SyncError
    name = "National register export"

    def __init__(
        self,
        config: NationalRegister,
        *,
        client: NationalClient | None = None,
        dry_run: bool = False,
    ):
        super().__init__(dry_run=dry_run)
        self.config = config
        self.client = client or NationalClient(config)
        self._listings: dict[str, dict] = {}  # {organisation: {source_id: summary}}, per run
        self._lars_listed: dict[str, set] = {}

    @property
    def registers(self):
        return self.config.registers

    def organisation_for(self, register) -> str:
        return self.config.organisation_id or getattr(register, "organisation_code", "") or ""

    def fingerprint(self, page, register=None) -> str:
        register = register or page.get_parent().specific
        return canonical_hash(
            page.last_published_at,
            register.last_published_at,
            register.organisation_code,
            register.organisation_name,
            MAPPING_VERSION,
            self.config.public_settings(),
        )

    # -- remote lookups -------------------------------------------------------------

    def fetch_listing(self, organisation: str) -> dict:
        """The organisation's algorithms by source_id (one request)."""
        summaries = self.client.list_algorithms(organisation)
        listing = {s["source_id"]: s for s in summaries if s.get("source_id")}
        self._listings[organisation] = listing
        self._lars_listed[organisation] = {s.get("lars") for s in summaries}
        return listing

    def find(self, organisation: str, source_id: str) -> str:
        """The LARS code of the algorithm with this source_id, or ""."""
        listing = self._listings.get(organisation)
        if listing is None:
            listing = self.fetch_listing(organisation)
        hit = listing.get(source_id)
        return hit["lars"] if hit else ""

    # -- one entry --------------------------------------------------------------------

    def _publish(self, record, page, *, full=False) -> Outcome:
        register = page.get_parent().specific
        organisation = self.organisation_for(register)
        if not organisation:
            raise PermanentError(
                _(
                    "The register has no organisation code. Choose the organisation on the register page (field “organisation code”)."
                )
            )
        body = entry_body(page, public_url=page.full_url or "")
        problems = check_body(body)
        if problems:
            raise PermanentError(
                _("Not sent: the national register would refuse it. %(problems)s")
                % {"problems": " | ".join(f"{field}: {problem}" for field, problem in problems)}
            )
        payload_hash = canonical_hash(body, organisation)
        fingerprint = self.fingerprint(page, register)
        if record.organisation_id and record.organisation_id != organisation and record.lars:
            raise PermanentError(
                _(
                    "The entry is in the national register under organisation “%(old)s”, not "
                    "“%(new)s”; moving it is not supported."
                )
                % {"old": record.organisation_id, "new": organisation}
            )
        record.organisation_id, record.source_id = organisation, (body.get("source_id") or "")[:100]

        lars = record.lars or (page.lars if is_lars(page.lars or "") else "")
        recovered = False
        if not lars:
            # Before any create, look for the algorithm by source_id (one listing per run,
            # or one request per new entry in a task): a create whose answer was lost, or
            # whose worker died before saving the record, is found instead of repeated.
            lars = self.find(organisation, record.source_id)
            recovered = bool(lars and record.create_sent_at)
            if recovered:
                logger.info(
                    "National register: found %s for %s after a lost answer", lars, record.entry_key
                )
        elif (
            lars
            and organisation in self._lars_listed
            and lars not in self._lars_listed[organisation]
        ):
            raise PermanentError(
                _(
                    "The national register ID %(lars)s is not among the algorithms of organisation "
                    "“%(organisation)s”."
                )
                % {"lars": lars, "organisation": organisation}
            )

        if not lars:
            action = "created"
            if self.dry_run:
                return Outcome(action)
            # Noted before sending (and saved even when the answer is lost): the next
            # attempt looks for the algorithm instead of creating a second one.
            record.create_sent_at = timezone.now()
            record.payload_hash, record.released_hash = payload_hash, ""
            lars = self.client.create(organisation, body)
            if not is_lars(lars):
                raise PermanentError(
                    _("The national register returned an invalid ID: %(lars)s")
                    % {"lars": lars[:20]}
                )
        elif recovered and payload_hash == record.payload_hash:
            # The lost create made this very version: adopt it.
            action = "created"
        elif payload_hash != record.payload_hash or record.lars != lars:
            action = "updated"
            if self.dry_run:
                return Outcome(action)
            self.client.update(organisation, lars, body)
            record.payload_hash, record.released_hash = payload_hash, ""
        else:
            action = "unchanged"
        record.lars, record.create_sent_at = lars, None
        if not self.dry_run:
            store_lars(record.entry_key, lars)

        if self.config.release and record.released_hash != record.payload_hash:
            if self.dry_run:
                return Outcome("updated" if action == "unchanged" else action)
            try:
                self.client.release(organisation, lars)
            except InvalidState:
                # Released or published already (the register answers 400/409
                # "INVALID ORIGIN_STATE"): the goal is reached.
                pass
            record.released_hash = record.payload_hash
            if action == "unchanged":
                action = "updated"
        self._succeeded(record, action)
        record.source_fingerprint = fingerprint
        return Outcome(action)

    def _withdraw(self, record) -> Outcome:
        if record.state == NationalExportRecord.State.WITHDRAWN:
            return Outcome("skipped")
        lars = record.lars
        if not lars and record.create_sent_at and record.organisation_id and record.source_id:
            lars = self.find(record.organisation_id, record.source_id)
        if not lars:
            # Never sent: nothing to retract.
            record.state = NationalExportRecord.State.WITHDRAWN
            record.create_sent_at = None
            return Outcome("skipped")
        if not self.dry_run:
            try:
                # Takes the published version offline and puts the latest back in
                # editing, also when it was released but not yet published.
                self.client.retract(record.organisation_id, lars)
            except NotFound:
                pass  # gone already: the goal is reached
        record.lars, record.create_sent_at = lars, None
        self._succeeded(record, "withdrawn")
        record.state = NationalExportRecord.State.WITHDRAWN
        record.payload_hash = record.released_hash = record.source_fingerprint = ""
        return Outcome("withdrawn")

    # -- a whole run ------------------------------------------------------------------

    def run(self, *, full=False, progress=None) -> tuple[Counter, list[Outcome]]:
        """Reconcile every entry: one listing per organisation, then entry by entry.

        Entries whose source is unchanged since their last sync are passed without a
        call; ``full`` rebuilds and compares them too (still sending only changes).
        """
        counts, outcomes = Counter(dict.fromkeys(COUNTED, 0)), []
        wanted = self.wanted_pages()
        records = {r.entry_key: r for r in self.records()}
        keys = set(wanted) | set(records)
        quick = {key: self._quick_outcome(wanted.get(key), records.get(key), full) for key in keys}
        organisations = {
            self.organisation_for(wanted[key][1])
            for key in keys
            if quick[key] is None and key in wanted
        }
        for organisation in sorted(o for o in organisations if o):
            try:
                self.fetch_listing(organisation)
            except SyncError as e:
                counts["failed"] += 1
                return counts, [
                    Outcome("failed", e.message, transient=e.transient, entry=organisation)
                ]
        outcomes += self.sync_all(
            wanted, records, quick, full=full, progress=progress, counts=counts
        )
        return counts, outcomes

    def _quick_outcome(self, wanted, record, full):
        if record is None or full:
            return None
        if wanted is None:
            return (
                Outcome("skipped") if record.state == NationalExportRecord.State.WITHDRAWN else None
            )
        page = wanted[0]
        if (
            record.state == NationalExportRecord.State.SYNCED
            and record.lars
            and page.lars == record.lars
            and record.source_fingerprint == self.fingerprint(*wanted)
        ):
            return Outcome("unchanged")
        return None
