"""The national register exporter: makes the national register hold the public entries.

Configured as ``{"BACKEND": "national_export.exporter.NationalExporter", ...}`` in
``WAGTAIL_ALGOREGISTER["EXPORTERS"]`` (options: :mod:`national_export.conf`). Per entry
the exporter's :class:`~wagtail_algoregister.models.SyncRecord` remembers the
algorithm's LARS code (``remote_id``), the entry's ``source_id`` (``identifier``), a
hash of the last body sent (``payload_hash``) and in ``data`` the organisation
(``organisation``), the hash of the last body released (``released_hash``) and when a
create was sent (``create_sent_at``). Per entry:

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

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Revision

from wagtail_algoregister.conf import https_problem
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard.validation import is_lars
from wagtail_algoregister.sync.base import REQUIRED, BaseExporter, RemoteEntry
from wagtail_algoregister.sync.engine import Outcome, canonical_hash

from .client import InvalidState, NationalClient, NotFound, PermanentError, SyncError
from .conf import DEFAULT_CLIENT_ID, register_from_options
from .mapping import check_body, entry_body


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


class NationalExporter(BaseExporter):
    """The national Algorithm Register (algoritmes.overheid.nl), through its upload API."""

    verbose_name = gettext_lazy("National Algorithm Register")
    withdrawn_label = gettext_lazy("Retracted from the national register")
    option_defaults = {
        "URL": REQUIRED,
        "TOKEN_URL": "",
        "CLIENT_ID": DEFAULT_CLIENT_ID,
        "USERNAME_ENV": "NATIONAL_REGISTER_USERNAME",
        "PASSWORD_ENV": "NATIONAL_REGISTER_PASSWORD",
        "TOKEN_ENV": "",
        "USERNAME": "",
        "PASSWORD": "",
        "TOKEN": "",
        "ORGANISATION_ID": None,
        "RATE_LIMIT": 25,
        "RATE_WINDOW": 60,
        "RATE_LIMIT_CACHE": None,
        "TIMEOUT": 30,
        "RELEASE": True,
        "REGISTERS": None,
    }
    environment_options = ("USERNAME_ENV", "PASSWORD_ENV", "TOKEN_ENV")
    secret_options = ("USERNAME", "PASSWORD", "TOKEN")

    @classmethod
    def validate_options(cls, options):
        problems = []
        for key in ("URL", "TOKEN_URL"):
            problem = https_problem(options[key], key) if options[key] else ""
            if problem:
                problems.append(problem)
        if not isinstance(options["RATE_LIMIT"], int) or options["RATE_LIMIT"] < 0:
            problems.append(
                f"RATE_LIMIT must be a whole number of at least 0, not {options['RATE_LIMIT']!r}"
            )
        for key in ("RATE_WINDOW", "TIMEOUT"):
            value = options[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                problems.append(f"{key} must be a number above 0, not {value!r}")
        if not isinstance(options["RELEASE"], bool):
            problems.append(f"RELEASE must be True or False, not {options['RELEASE']!r}")
        return problems

    @classmethod
    def missing_environment(cls, options):
        """A ready token (``TOKEN_ENV``) needs no account; else the account is needed."""
        options = {**cls.defaults(), **options}
        if options["TOKEN"]:
            return []
        missing = super().missing_environment(options)
        if options["TOKEN_ENV"]:
            return [(key, name) for key, name in missing if key == "TOKEN_ENV"]
        return missing

    def setup(self):
        self.config = register_from_options(self.options)
        self._listings: dict[str, dict] = {}  # {organisation: {source_id: summary}}, per run
        self._lars_listed: dict[str, set] = {}

    @cached_property
    def client(self) -> NationalClient:
        return NationalClient(self.config)

    def describe(self):
        text = _("the national Algorithm Register (%(url)s)") % {"url": self.config.url}
        if self.config.release:
            text += ". " + _(
                "Each new version is released; the register team or your organisation's "
                "approver then publishes it there."
            )
        return text

    def credentials_warning(self):
        config = self.config
        if config.has_credentials:
            return ""
        return (
            f"No credentials: set {config.username_env} and {config.password_env}"
            f"{' (or ' + config.token_env + ')' if config.token_env else ''}."
        )

    def remote_link(self, record):
        if not record.remote_id:
            return None
        # The entry's own property builds the national URL; a deleted entry's record
        # still has its code.
        return record.remote_id, AlgorithmPage(lars=record.remote_id).national_register_url

    def public_settings(self):
        return self.config.public_settings()

    def fingerprint_parts(self):
        return [MAPPING_VERSION, self.config.public_settings()]

    def organisation_for(self, register) -> str:
        return self.config.organisation_id or getattr(register, "organisation_code", "") or ""

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

    def adoptable(self, lars, record) -> str:
        """The national ID on the page, when it may be this entry's: a valid code that no
        other entry's record holds (a copied entry carries the original's code, but it
        is a new algorithm there)."""
        if not is_lars(lars or ""):
            return ""
        if self.records().filter(remote_id=lars).exclude(entry_key=record.entry_key).exists():
            return ""
        return lars

    # -- one entry --------------------------------------------------------------------

    def publish(self, record, page, *, full=False) -> Outcome:
        register = page.get_parent().specific
        organisation = self.organisation_for(register)
        if not organisation:
            raise PermanentError(
                _(
                    "The register has no organisation code. Choose the organisation on the "
                    "register page (field “organisation code”)."
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
        data = record.data
        if data.get("organisation") and data["organisation"] != organisation and record.remote_id:
            raise PermanentError(
                _(
                    "The entry is in the national register under organisation “%(old)s”, not "
                    "“%(new)s”; moving it is not supported."
                )
                % {"old": data["organisation"], "new": organisation}
            )
        data["organisation"], record.identifier = organisation, (body.get("source_id") or "")[:100]

        lars = record.remote_id or self.adoptable(page.lars, record)
        recovered = False
        if not lars:
            # Before any create, look for the algorithm by source_id (one listing per run,
            # or one request per new entry in a task): a create whose answer was lost, or
            # whose worker died before saving the record, is found instead of repeated.
            lars = self.find(organisation, record.identifier)
            recovered = bool(lars and data.get("create_sent_at"))
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
            data["create_sent_at"] = timezone.now().isoformat()
            record.payload_hash, data["released_hash"] = payload_hash, ""
            lars = self.client.create(organisation, body)
            if not is_lars(lars):
                raise PermanentError(
                    _("The national register returned an invalid ID: %(lars)s")
                    % {"lars": lars[:20]}
                )
        elif recovered and payload_hash == record.payload_hash:
            # The lost create made this very version: adopt it.
            action = "created"
        elif payload_hash != record.payload_hash or record.remote_id != lars:
            action = "updated"
            if self.dry_run:
                return Outcome(action)
            self.client.update(organisation, lars, body)
            record.payload_hash, data["released_hash"] = payload_hash, ""
        else:
            action = "unchanged"
        record.remote_id = lars
        data.pop("create_sent_at", None)
        if not self.dry_run:
            store_lars(record.entry_key, lars)

        if self.config.release and data.get("released_hash") != record.payload_hash:
            if self.dry_run:
                return Outcome("updated" if action == "unchanged" else action)
            try:
                self.client.release(organisation, lars)
            except InvalidState:
                # Released or published already (the register answers 400/409
                # "INVALID ORIGIN_STATE"): the goal is reached.
                pass
            data["released_hash"] = record.payload_hash
            if action == "unchanged":
                action = "updated"
        return self.succeeded(record, action)

    def withdraw(self, record) -> Outcome:
        data = record.data
        lars = record.remote_id
        if (
            not lars
            and data.get("create_sent_at")
            and data.get("organisation")
            and record.identifier
        ):
            lars = self.find(data["organisation"], record.identifier)
        if not lars:
            data.pop("create_sent_at", None)
            return self.withdrawn(record, sent=False)  # never sent: nothing to retract
        if not self.dry_run:
            try:
                # Takes the published version offline and puts the latest back in
                # editing, also when it was released but not yet published.
                self.client.retract(data["organisation"], lars)
            except NotFound:
                pass  # gone already: the goal is reached
        record.remote_id = lars
        data.pop("create_sent_at", None)
        outcome = self.withdrawn(record)
        record.payload_hash, data["released_hash"] = "", ""
        return outcome

    # -- a whole run ------------------------------------------------------------------

    def prepare_run(self, wanted, records, full):
        """One listing per organisation of the entries to send."""
        quick = super().prepare_run(wanted, records, full)
        organisations = {
            self.organisation_for(wanted[key][1])
            for key, outcome in quick.items()
            if outcome is None and key in wanted
        }
        for organisation in sorted(o for o in organisations if o):
            try:
                self.fetch_listing(organisation)
            except SyncError as e:
                e.entry = organisation  # the run's one failure names the organisation
                raise
        return quick

    def quick_outcome(self, wanted, record, full):
        outcome = super().quick_outcome(wanted, record, full)
        if outcome is not None and outcome.action == "unchanged":
            # The ID on the entry must be the record's, or the sync writes it back.
            if not (record.remote_id and wanted[0].lars == record.remote_id):
                return None
        return outcome

    # -- for checks and tests ---------------------------------------------------------

    def remote_entries(self):
        """The released or published algorithms of the organisations of our records and
        registers, with their latest version (one request per algorithm)."""
        records = self.records()
        by_lars = {r.remote_id: str(r.entry_key) for r in records if r.remote_id}
        organisations = {r.data.get("organisation") for r in records} | {
            self.organisation_for(register)
            for register in AlgorithmRegisterPage.objects.all()
            if self.applies_to(register)
        }
        entries = []
        for organisation in sorted(o for o in organisations if o):
            for summary in self.client.list_algorithms(organisation):
                if not (
                    summary.get("published")
                    or summary.get("current_version_released")
                    or summary.get("current_version_published")
                ):
                    continue
                latest = self.client.get(organisation, summary["lars"]) or {}
                entries.append(
                    RemoteEntry(
                        remote_id=summary["lars"],
                        key=by_lars.get(summary["lars"], ""),
                        title=latest.get("name") or "",
                        text=latest.get("description_short") or "",
                    )
                )
        return entries
