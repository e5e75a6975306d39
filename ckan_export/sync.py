"""The sync engine: makes a portal hold exactly the published entries.

Per portal and entry an :class:`~ckan_export.models.ExportRecord` remembers the
dataset (id, frozen name and identifier, resource ids), what was last sent and
what it was built from. One entry is synced under a row lock, so two workers
never create two datasets for it. The steps follow the research note on CKAN
sync (resolve by id, then name, then identifier; never re-post after a lost
answer without looking first; merge only the keys we manage).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.formats.context import context_for
from wagtail_algoregister.models import AlgorithmRegisterPage
from wagtail_algoregister.sync.engine import COUNTED, EntrySync, Outcome, canonical_hash

from .client import NotFound, PermanentError, PortalClient, SyncError
from .conf import Portal
from .models import ExportRecord
from .names import dataset_name, next_name
from .profiles import get_profile


ORPHAN_LIMIT = 0.10


def remote_identifier(package: dict) -> str:
    """The identifier of a remote dataset, wherever the profile put it."""
    if package.get("identifier"):
        return package["identifier"]
    for extra in package.get("extras") or []:
        if extra.get("key", "").endswith("identifier"):
            return extra.get("value", "")
    return ""


class PortalSync(EntrySync):
    record_model = ExportRecord
    sync_error = SyncError

    def __init__(
        self, portal: Portal, *, client: PortalClient | None = None, dry_run: bool = False
    ):
        super().__init__(dry_run=dry_run)
        self.portal = portal
        self.name = f"CKAN export to {portal.name}"
        self.profile = get_profile(portal.profile)
        self.client = client or PortalClient(portal)
        self._org_id = None
        self._listing = (
            None  # {identifier: summary} of the organisation's datasets, when prefetched
        )
        self._listing_by_id = {}
        self._listing_names = set()
        self._withdrawn = set()  # ids or names withdrawn in this run (the listing predates them)

    @property
    def registers(self):
        return self.portal.registers

    def record_fields(self):
        return {"portal": self.portal.name}

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
        if record.dataset_id:
            try:
                package = self.client.call("package_show", id=record.dataset_id)
                if package.get("owner_org") == self.org_id:
                    return package
            except NotFound:
                pass
            record.dataset_id = ""
        if (
            not record.dataset_name
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

    def fingerprint(self, page, register=None) -> str:
        """What a payload is built from; equal fingerprints give equal payloads."""
        register = register or page.get_parent().specific
        settings = {
            k: v for k, v in dataclasses.asdict(self.portal).items() if k != "token_setting"
        }
        return canonical_hash(
            page.last_published_at,
            register.last_published_at,
            register.organisation_code,
            register.organisation_name,
            self.profile.name,
            self.profile.version,
            settings,
        )

    def _publish(self, record, page, *, full=False) -> Outcome:
        fingerprint = self.fingerprint(page)
        synced = record.state == ExportRecord.State.SYNCED and record.dataset_id
        if synced and record.source_fingerprint == fingerprint and not full:
            if self._listing is None:
                return Outcome("unchanged")
            remote = self._listing_by_id.get(record.dataset_id)
            if (
                remote
                and remote["metadata_modified"] == record.remote_modified
                and remote["state"] == "active"
            ):
                return Outcome("unchanged")

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
        name = record.dataset_name or dataset_name(context, self.portal)
        payload_hash = canonical_hash(payload, name, self.profile.version)

        remote = self.resolve(record, name, context.identifier)
        if remote is None:
            action, result = "created", self._create(record, payload, name, context.identifier)
        elif (
            payload_hash == record.payload_hash
            and remote.get("metadata_modified") == record.remote_modified
            and remote.get("state") == "active"
            and not (remote.get("private") and self.portal.withdraw == "private")
        ):
            action, result = "unchanged", remote
        else:
            action, result = "updated", self._update(record, remote, payload)

        record.identifier = context.identifier
        record.dataset_id, record.dataset_name = result["id"], result["name"]
        record.remote_modified = result.get("metadata_modified", "")
        record.resource_ids = self._resource_ids(payload, result, record.resource_ids)
        record.payload_hash, record.source_fingerprint = payload_hash, fingerprint
        self._succeeded(record, action)
        return Outcome(action)

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
        record.dataset_name, record.identifier = name, identifier
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
                name = next_name(record.dataset_name, attempt + 2)
                record.dataset_name = name
        raise PermanentError(
            _("No free dataset name found near “%(name)s”.") % {"name": record.dataset_name}
        )

    def _update(self, record, remote, payload):
        if self.dry_run:
            return remote
        update = self._send(payload)
        update["resources"] = self._merge_resources(record, remote, payload)
        if "extras" in update:
            owned = {e["key"] for e in update["extras"]}
            prefix = getattr(self.profile, "extra_prefix", "")
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
        ours = set(record.resource_ids.values())
        used, merged = set(), []
        for resource in payload.get("resources", []):
            resource = dict(resource)
            key = resource.pop("_key")
            match = by_id.get(record.resource_ids.get(key, ""))
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

    def _withdraw(self, record) -> Outcome:
        if record.state == ExportRecord.State.WITHDRAWN:
            return Outcome("skipped")
        if not (record.dataset_id or record.dataset_name):
            # Never sent: nothing to take off the portal.
            record.state = ExportRecord.State.WITHDRAWN
            return Outcome("skipped")
        self.withdraw_dataset(record.dataset_id or record.dataset_name)
        self._succeeded(record, "withdrawn")
        record.state, record.source_fingerprint = ExportRecord.State.WITHDRAWN, ""
        return Outcome("withdrawn")

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

    def run(self, *, full=False, progress=None) -> tuple[Counter, list[Outcome]]:
        """Reconcile every entry, then remove orphans.

        Entries whose source and dataset are unchanged since the last sync are
        passed without a query or a call; ``full`` rebuilds and compares them too.
        """
        counts, outcomes = Counter(dict.fromkeys(COUNTED, 0)), []
        try:
            self.fetch_listing()
        except SyncError as e:
            counts["failed"] += 1
            return counts, [
                Outcome("failed", e.message, transient=e.transient, entry=self.portal.name)
            ]
        wanted = self.wanted_pages()
        records = {r.entry_key: r for r in self.records()}
        keys = set(wanted) | set(records)
        quick = {key: self._quick_outcome(wanted.get(key), records.get(key), full) for key in keys}
        # The link groupings of the entries to send: three queries, not three per entry.
        prefetch_related_objects(
            [wanted[key][0] for key in keys if quick[key] is None and key in wanted],
            *(field.attribute for field in standard.grouping_fields()),
        )
        outcomes += self.sync_all(
            wanted, records, quick, full=full, progress=progress, counts=counts
        )
        orphans = self.remove_orphans()
        counts["withdrawn"] += len(orphans.get("withdrawn", []))
        outcomes += [
            Outcome("withdrawn", "orphan", entry=name) for name in orphans.get("withdrawn", [])
        ]
        if orphans.get("refused"):
            counts["failed"] += 1
            outcomes.append(Outcome("failed", orphans["refused"], entry=self.portal.name))
        return counts, outcomes

    def _quick_outcome(self, wanted, record, full):
        """The outcome without any query or call, when nothing can have changed."""
        if record is None or full:
            return None
        if wanted is None:
            return Outcome("skipped") if record.state == ExportRecord.State.WITHDRAWN else None
        remote = self._listing_by_id.get(record.dataset_id)
        if (
            record.state == ExportRecord.State.SYNCED
            and remote is not None
            and remote["state"] == "active"
            and remote["metadata_modified"] == record.remote_modified
            and record.source_fingerprint == self.fingerprint(*wanted)
        ):
            return Outcome("unchanged")
        return None

    def remove_orphans(self) -> dict:
        """Withdraw datasets that carry our identifiers but match no published entry.

        Refuses when more than 10% of our datasets would go: that smells of a
        configuration mistake (wrong site URL, empty database), not of deletions.
        """
        listing = self._listing if self._listing is not None else self.fetch_listing()
        prefixes = {f"{r.full_url}id/" for r in AlgorithmRegisterPage.objects.all() if r.full_url}
        records = ExportRecord.objects.filter(portal=self.portal.name)
        prefixes.update(
            r.identifier.rsplit("/id/", 1)[0] + "/id/" for r in records if "/id/" in r.identifier
        )
        # Entries still published keep their dataset even when their last update failed.
        live = set(
            records.exclude(state=ExportRecord.State.WITHDRAWN).values_list("identifier", flat=True)
        )
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
