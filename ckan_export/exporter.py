"""The CKAN exporter: makes one portal hold exactly the public entries.

Configured as ``{"BACKEND": "ckan_export.exporter.CkanExporter", ...}`` in
``WAGTAIL_ALGOREGISTER["EXPORTERS"]`` (options: :mod:`ckan_export.conf`). Per entry the
exporter's :class:`~wagtail_algoregister.models.SyncRecord` remembers the dataset: its
id (``remote_id``), its name, frozen when first sent (``remote_name``), its identifier
(``identifier``), and in ``data`` the resource ids (``resource_ids``) and the dataset's
``metadata_modified`` after our last write (``remote_modified``). The steps follow the
research note on CKAN sync (resolve by id, then name, then identifier; never re-post
after a lost answer without looking first; merge only the keys we manage).
"""

from __future__ import annotations

import dataclasses
import json
import re

from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_algoregister import standard
from wagtail_algoregister.conf import https_problem
from wagtail_algoregister.formats.context import context_for
from wagtail_algoregister.models import AlgorithmRegisterPage
from wagtail_algoregister.sync.base import REQUIRED, BaseExporter, RemoteEntry, State
from wagtail_algoregister.sync.engine import Outcome, canonical_hash

from .client import NotFound, PermanentError, PortalClient
from .conf import WITHDRAW_POLICIES, portal_from_options
from .names import dataset_name, next_name
from .profiles import PROFILES, get_profile


ORPHAN_LIMIT = 0.10
ENTRY_KEY = re.compile(r"/id/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$")


def remote_identifier(package: dict) -> str:
    """The identifier of a remote dataset, wherever the profile put it."""
    if package.get("identifier"):
        return package["identifier"]
    for extra in package.get("extras") or []:
        if extra.get("key", "").endswith("identifier"):
            return extra.get("value", "")
    return ""


def is_number(value, *, minimum=0.0, strict=False) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (value > minimum if strict else value >= minimum)
    )


class CkanExporter(BaseExporter):
    """One CKAN portal (such as data.overheid.nl) and one organisation on it."""

    verbose_name = gettext_lazy("CKAN portal")
    withdrawn_label = gettext_lazy("Withdrawn from the portal")
    option_defaults = {
        "URL": REQUIRED,
        "ORGANIZATION": REQUIRED,
        "PROFILE": "donl",
        "TOKEN_ENV": "",
        "TOKEN": "",
        "WITHDRAW": "delete",
        "TIMEOUT": 30,
        "RATE_LIMIT": 1.0,
        "RATE_WINDOW": 1,
        "RATE_LIMIT_CACHE": None,
        "REGISTERS": None,
        "AUTHORITY_URI": None,
        "LICENSE_ID": None,
        "DATASET_TYPE": None,
        "NAME_PREFIX": None,
    }
    environment_options = ("TOKEN_ENV",)
    secret_options = ("TOKEN",)

    @classmethod
    def validate_options(cls, options):
        problems = []
        problem = https_problem(options["URL"], "URL")
        if problem:
            problems.append(problem)
        if options["PROFILE"] not in PROFILES:
            problems.append(f"PROFILE must be one of {tuple(PROFILES)}, not {options['PROFILE']!r}")
        if options["WITHDRAW"] not in WITHDRAW_POLICIES:
            problems.append(
                f"WITHDRAW must be one of {WITHDRAW_POLICIES}, not {options['WITHDRAW']!r}"
            )
        for key, strict in (("TIMEOUT", True), ("RATE_LIMIT", False), ("RATE_WINDOW", True)):
            if not is_number(options[key], strict=strict):
                problems.append(
                    f"{key} must be a number {'above' if strict else 'of at least'} 0, "
                    f"not {options[key]!r}"
                )
        return problems

    def setup(self):
        self.portal = portal_from_options(self.name, self.options)
        self.profile = get_profile(self.portal.profile)
        self._org_id = None
        # {identifier: summary} of the organisation's datasets, when fetched for a run
        self._listing = None
        self._listing_by_id = {}
        self._listing_names = set()
        self._withdrawn = set()  # ids or names withdrawn in this run (the listing predates them)

    @cached_property
    def client(self) -> PortalClient:
        return PortalClient(self.portal)

    def describe(self):
        return _("the open-data portal %(url)s (organisation “%(organisation)s”)") % {
            "url": self.portal.url,
            "organisation": self.portal.organization,
        }

    def credentials_warning(self):
        if self.portal.token:
            return ""
        return f"no API token (set {self.portal.token_env or 'TOKEN_ENV'})."

    def remote_link(self, record):
        if record.remote_name and record.remote_id:
            return record.remote_name, f"{self.portal.url}/dataset/{record.remote_name}"
        return None

    def public_settings(self):
        return {k: v for k, v in dataclasses.asdict(self.portal).items() if k != "token_setting"}

    def fingerprint_parts(self):
        return [self.profile.name, self.profile.version, self.public_settings()]

    # -- remote lookups ---------------------------------------------------------

    @property
    def org_id(self):
        if self._org_id is None:
            self._org_id = self.client.call("organization_show", id=self.portal.organization)["id"]
        return self._org_id

    def fetch_listing(self):
        """Every dataset of our organisation (one paged search for a whole run)."""
        listing, by_id, start = {}, {}, 0
        while True:
            result = self.client.call(
                "package_search",
                fq=f'owner_org:"{self.org_id}"',
                include_private=True,
                rows=1000,
                start=start,
                sort="id asc",
            )
            for package in result["results"]:
                summary = {
                    "id": package["id"],
                    "name": package["name"],
                    "metadata_modified": package.get("metadata_modified", ""),
                    "state": package.get("state", "active"),
                    "private": bool(package.get("private")),
                    "identifier": remote_identifier(package),
                }
                by_id[package["id"]] = summary
                if summary["identifier"]:
                    listing[summary["identifier"]] = summary
            start += len(result["results"])
            if not result["results"] or start >= result["count"]:
                break
        self._listing, self._listing_by_id = listing, by_id
        self._listing_names = {summary["name"] for summary in by_id.values()}
        return listing

    def _ours(self, package, identifier) -> bool:
        return package.get("owner_org") == self.org_id and remote_identifier(package) == identifier

    def resolve(self, record, name, identifier):
        """The dataset that already holds this entry, or None. Never adopts another's dataset."""
        if record.remote_id:
            try:
                package = self.client.call("package_show", id=record.remote_id)
                if package.get("owner_org") == self.org_id:
                    return package
            except NotFound:
                pass
            record.remote_id = ""
        if (
            not record.remote_name
            and self._listing is not None
            and name not in self._listing_names
            and identifier not in self._listing
        ):
            # Never sent (no name frozen yet), and the organisation had neither this name
            # nor this identifier when the listing was fetched: nothing to find. A dataset
            # of this name elsewhere (another organisation, deleted) makes the create fail
            # with "already in use", and _create looks again.
            return None
        try:
            package = self.client.call("package_show", id=name)
            if self._ours(package, identifier):
                return package
        except NotFound:
            pass
        if self._listing is None:
            self.fetch_listing()
        hit = self._listing.get(identifier)
        if hit:
            package = self.client.call("package_show", id=hit["id"])
            if self._ours(package, identifier):
                return package
        return None

    # -- one entry --------------------------------------------------------------

    def publish(self, record, page, *, full=False) -> Outcome:
        fingerprint = self.fingerprint(page)
        synced = record.state == State.SYNCED and record.remote_id
        if synced and record.source_fingerprint == fingerprint and not full:
            if self._listing is None:
                return self.succeeded(record, "unchanged")
            remote = self._listing_by_id.get(record.remote_id)
            if (
                remote
                and remote["metadata_modified"] == record.data.get("remote_modified")
                and remote["state"] == "active"
            ):
                return self.succeeded(record, "unchanged")

        context = context_for(page)
        if record.identifier:
            context = dataclasses.replace(context, identifier=record.identifier)
        payload = self.profile.build(context, self.portal)
        problems = self.profile.validate(payload)
        if problems:
            text = " | ".join(
                f"{field}: {'; '.join(messages)}" for field, messages in sorted(problems.items())
            )
            raise PermanentError(
                _("Not sent: the dataset does not pass the %(profile)s rules. %(problems)s")
                % {"profile": self.profile.name, "problems": text}
            )
        name = record.remote_name or dataset_name(context, self.portal)
        payload_hash = canonical_hash(payload, name, self.profile.version)

        remote = self.resolve(record, name, context.identifier)
        if remote is None:
            action, result = "created", self._create(record, payload, name, context.identifier)
        elif (
            payload_hash == record.payload_hash
            and remote.get("metadata_modified") == record.data.get("remote_modified")
            and remote.get("state") == "active"
            and not (remote.get("private") and self.portal.withdraw == "private")
        ):
            action, result = "unchanged", remote
        else:
            action, result = "updated", self._update(record, remote, payload)

        record.identifier = context.identifier
        record.remote_id, record.remote_name = result["id"], result["name"]
        record.data = {
            **record.data,
            "remote_modified": result.get("metadata_modified", ""),
            "resource_ids": self._resource_ids(payload, result, resource_ids(record)),
        }
        record.payload_hash = payload_hash
        return self.succeeded(record, action)

    def _send(self, payload, remote=None):
        """The payload as CKAN takes it: resource keys removed, ids of our resources kept."""
        body = {k: v for k, v in payload.items() if k != "resources"}
        body["resources"] = [
            {k: v for k, v in r.items() if k != "_key"} for r in payload.get("resources", [])
        ]
        return body

    def _create(self, record, payload, name, identifier):
        # Freeze the name first: if the answer is lost, the record is saved with this
        # name (sync_key saves it after a failure too), and the next attempt finds the
        # dataset by it instead of creating a second one. (Should the worker die before
        # its transaction commits, the identifier finds the dataset in the listing.)
        record.remote_name, record.identifier = name, identifier
        if self.dry_run:
            return {"id": "", "name": name, "resources": []}
        body = self._send(payload)
        for attempt in range(3):
            try:
                return self.client.call("package_create", name=name, **body)
            except PermanentError as e:
                if "already in use" not in json.dumps(e.error_dict.get("name", "")):
                    raise
                existing = self.resolve(record, name, identifier)
                if existing is not None:
                    return self._update(record, existing, payload)
                name = next_name(record.remote_name, attempt + 2)
                record.remote_name = name
        raise PermanentError(
            _("No free dataset name found near “%(name)s”.") % {"name": record.remote_name}
        )

    def _update(self, record, remote, payload):
        if self.dry_run:
            return remote
        update = self._send(payload)
        update["resources"] = self._merge_resources(record, remote, payload)
        if "extras" in update:
            owned = {e["key"] for e in update["extras"]}
            prefix = self.profile.extra_prefix
            update["extras"] = update["extras"] + [
                e
                for e in remote.get("extras") or []
                if e["key"] not in owned and not (prefix and e["key"].startswith(prefix))
            ]
        if remote.get("state") != "active":
            update["state"] = "active"
        if self.portal.withdraw == "private" and remote.get("private"):
            update["private"] = False
        removed = [
            f"-{key}" for key in self.profile.managed_keys if key not in update and key in remote
        ]
        for attempt in range(2):
            try:
                result = self.client.call(
                    "package_revise",
                    match={"id": remote["id"], "metadata_modified": remote["metadata_modified"]},
                    update=update,
                    **({"filter": removed} if removed else {}),
                )
                return result["package"]
            except PermanentError as e:
                # Someone changed the dataset between our read and write: read again, once.
                if attempt or "match" not in json.dumps(e.error_dict).lower():
                    raise
                remote = self.client.call("package_show", id=remote["id"])
                update["resources"] = self._merge_resources(record, remote, payload)
        raise AssertionError("unreachable")

    def _merge_resources(self, record, remote, payload):
        """Our resources with their stable ids, then the portal's own resources."""
        remote_resources = remote.get("resources") or []
        by_id = {r["id"]: r for r in remote_resources}
        known = resource_ids(record)
        ours = set(known.values())
        used, merged = set(), []
        for resource in payload.get("resources", []):
            resource = dict(resource)
            key = resource.pop("_key")
            match = by_id.get(known.get(key, ""))
            if match is None:
                match = next(
                    (
                        r
                        for r in remote_resources
                        if r.get("url") == resource.get("url") and r["id"] not in used
                    ),
                    None,
                )
            if match is not None:
                resource["id"] = match["id"]
                used.add(match["id"])
            merged.append(resource)
        merged += [r for r in remote_resources if r["id"] not in used and r["id"] not in ours]
        return merged

    @staticmethod
    def _resource_ids(payload, result, previous):
        ids = {}
        remote = result.get("resources") or []
        for resource in payload.get("resources", []):
            known = previous.get(resource["_key"])
            match = next((r for r in remote if r["id"] == known), None) or next(
                (
                    r
                    for r in remote
                    if r.get("url") == resource.get("url") and r["id"] not in ids.values()
                ),
                None,
            )
            if match:
                ids[resource["_key"]] = match["id"]
        return ids

    def withdraw(self, record) -> Outcome:
        if not (record.remote_id or record.remote_name):
            return self.withdrawn(record, sent=False)  # never sent: nothing to take off
        self.withdraw_dataset(record.remote_id or record.remote_name)
        return self.withdrawn(record)

    def withdraw_dataset(self, dataset):
        """Take a dataset off the portal by the portal's policy (soft delete by default)."""
        if self.dry_run:
            return
        try:
            if self.portal.withdraw == "private":
                self.client.call("package_patch", id=dataset, private=True)
            elif self.portal.withdraw == "purge":
                self.client.call("dataset_purge", id=dataset)
            else:
                self.client.call("package_delete", id=dataset)
        except NotFound:
            pass  # already gone: the goal is reached
        self._withdrawn.add(dataset)

    # -- a whole run ------------------------------------------------------------

    def prepare_run(self, wanted, records, full):
        """One listing of the organisation's datasets for the whole run."""
        self.fetch_listing()
        quick = super().prepare_run(wanted, records, full)
        # The link groupings of the entries to send: three queries, not three per entry.
        prefetch_related_objects(
            [wanted[key][0] for key, outcome in quick.items() if outcome is None and key in wanted],
            *(field.attribute for field in standard.grouping_fields()),
        )
        return quick

    def quick_outcome(self, wanted, record, full):
        outcome = super().quick_outcome(wanted, record, full)
        if outcome is None or outcome.action != "unchanged":
            return outcome
        # Unchanged here; unchanged there too, unless someone edited or deleted it.
        remote = self._listing_by_id.get(record.remote_id)
        if (
            remote is not None
            and remote["state"] == "active"
            and remote["metadata_modified"] == record.data.get("remote_modified")
        ):
            return outcome
        return None

    def finish_run(self, counts):
        """Remove orphans: datasets with our identifiers that match no entry."""
        orphans = self.remove_orphans()
        counts["withdrawn"] += len(orphans.get("withdrawn", []))
        outcomes = [
            Outcome("withdrawn", "orphan", entry=name) for name in orphans.get("withdrawn", [])
        ]
        if orphans.get("refused"):
            counts["failed"] += 1
            outcomes.append(Outcome("failed", orphans["refused"], entry=self.name))
        return outcomes

    def remove_orphans(self) -> dict:
        """Withdraw datasets that carry our identifiers but match no published entry.

        Refuses when more than 10% of our datasets would go: that smells of a
        configuration mistake (wrong site URL, empty database), not of deletions.
        """
        listing = self._listing if self._listing is not None else self.fetch_listing()
        prefixes = {f"{r.full_url}id/" for r in AlgorithmRegisterPage.objects.all() if r.full_url}
        records = self.records()
        prefixes.update(
            r.identifier.rsplit("/id/", 1)[0] + "/id/" for r in records if "/id/" in r.identifier
        )
        # Entries still published keep their dataset even when their last update failed.
        live = set(records.exclude(state=State.WITHDRAWN).values_list("identifier", flat=True))
        ours = [
            d
            for d in listing.values()
            if d["state"] == "active" and d["identifier"].startswith(tuple(prefixes))
        ]
        orphans = [
            d
            for d in ours
            if d["identifier"] not in live
            # Withdrawn earlier in this run: the listing was fetched before that.
            and not {d["id"], d["name"]} & self._withdrawn
            # Already withdrawn by the "private" policy: nothing left to do.
            and not (self.portal.withdraw == "private" and d["private"])
        ]
        if not orphans:
            return {}
        if len(orphans) > ORPHAN_LIMIT * len(ours):
            return {
                "refused": _(
                    "Orphan check refused: %(orphans)s of %(ours)s datasets with our identifiers match no "
                    "published entry (more than %(limit)s). Nothing was removed; check the site URL and "
                    "the register before removing them by hand."
                )
                % {"orphans": len(orphans), "ours": len(ours), "limit": f"{ORPHAN_LIMIT:.0%}"}
            }
        for dataset in orphans:
            self.withdraw_dataset(dataset["id"])
        return {"withdrawn": [dataset["name"] for dataset in orphans]}

    # -- for checks and tests ---------------------------------------------------

    def remote_entries(self):
        """Every public, active dataset of the organisation that carries our identifier."""
        prefixes = {f"{r.full_url}id/" for r in AlgorithmRegisterPage.objects.all() if r.full_url}
        prefixes.update(
            i.rsplit("/id/", 1)[0] + "/id/"
            for i in self.records().values_list("identifier", flat=True)
            if "/id/" in i
        )
        entries, start = [], 0
        while True:
            result = self.client.call(
                "package_search",
                fq=f'owner_org:"{self.org_id}"',
                include_private=True,
                rows=1000,
                start=start,
                sort="id asc",
            )
            for package in result["results"]:
                identifier = remote_identifier(package)
                if (
                    package.get("state", "active") != "active"
                    or package.get("private")
                    or not identifier.startswith(tuple(prefixes))
                ):
                    continue
                match = ENTRY_KEY.search(identifier)
                entries.append(
                    RemoteEntry(
                        remote_id=package["id"],
                        key=match.group(1) if match else "",
                        title=package.get("title") or "",
                        text=package.get("notes") or "",
                    )
                )
            start += len(result["results"])
            if not result["results"] or start >= result["count"]:
                return entries


def resource_ids(record) -> dict:
    """{resource key: CKAN resource id} of our resources on the dataset."""
    return record.data.get("resource_ids") or {}
