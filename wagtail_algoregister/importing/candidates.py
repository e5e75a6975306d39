"""One entry of a file: mapped to the current standard, completed and validated.

:func:`build_candidate` is pure apart from reading the register's defaults. It

1. maps the record to standard 1.0 (:func:`wagtail_algoregister.standard.upgrades.upgrade`,
   or :func:`.eurocities.to_national` for the Eurocities template); every key the
   mapping moved, merged or ignored becomes a note;
2. fills what the admin would fill: ``organization`` and ``contact_email`` from the
   register (its organisation and default contact, with a note), ``lang`` ``nld``
   (the only value the standard permits), and ``publication_category`` from the
   option when the record has none (standards before 1.0 have none; it is a legal
   classification, so it is never guessed);
3. validates with the admin's rules (:func:`~wagtail_algoregister.standard.validation.validate_entry`), accepting
   text in link fields as the national register does (``text_links=True``; reported
   as warnings by :func:`validation.link_problems`), plus the national id
   (:func:`validation.is_lars`) and the local fields. An error names the key, and the
   file's key the value came from when it was an old one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.importing import eurocities
from wagtail_algoregister.importing.readers import Record
from wagtail_algoregister.importing.results import Action, EntryResult, Message
from wagtail_algoregister.standard.upgrades import upgrade
from wagtail_algoregister.standard.upgrades.base import paragraphs
from wagtail_algoregister.standard.validation import (
    TAG_LIKE,
    clean_html,
    is_lars,
    link_problems,
    validate_entry,
    validate_value,
)


# Tags kept in the local rich-text field "objection and appeal" (the standard's, less div).
LOCAL_RICH_TEXT_TAGS = ("p", "br", "ul", "ol", "li")
DEPARTMENT_MAX_LENGTH = 200


@dataclass
class Candidate:
    """One entry of the file on its way in; ``result`` is what is reported about it."""

    result: EntryResult
    national: dict
    local: dict = field(default_factory=dict)
    lars: str = ""
    match: object = None  # the existing entry it updates (or the page it became)

    @property
    def errors(self) -> list[Message]:
        return self.result.errors

    @property
    def name(self) -> str:
        return str(self.national.get("name") or "").strip()

    @property
    def where(self) -> str:
        return self.result.where

    @property
    def action(self) -> Action:
        return self.result.action

    @action.setter
    def action(self, value: Action) -> None:
        self.result.action = value

    def error(self, key: str, text: str) -> None:
        self.result.errors.append(Message(f"{key}: {text}" if key else text, key))

    def note(self, key: str, text: str) -> None:
        self.result.notes.append(Message(text, key))


def strip_label(definition, message: str) -> str:
    prefix = f"{definition.label}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def build_candidate(record: Record, register, options) -> Candidate:
    """Map, complete and validate one record (``options``: :class:`.importer.Options`)."""
    if record.kind == "eurocities":
        upgraded = eurocities.to_national(record.data)
    else:
        upgraded = upgrade(record.data, merge_old_keys=options.merge_old_keys)
    national = upgraded.national
    # Our own downloads fill an empty ``url`` with the entry's public URL (``public_url``);
    # read back, that default is empty again, so that a round trip changes nothing (and a
    # demo site's http:// address is not refused as the source registration's link).
    public_url = record.data.get("public_url") if isinstance(record.data, dict) else None
    if public_url and str(national.get("url") or "").strip() == str(public_url).strip():
        national["url"] = ""
    candidate = Candidate(
        EntryResult(label=record.label, version=upgraded.version),
        national,
        lars=upgraded.lars.strip(),
    )
    for change in upgraded.changes:
        candidate.result.notes.append(
            Message(change.message(), change.targets[0] if change.targets else "", change.key)
        )
    _fill_defaults(candidate, register, options)

    normalised, problems = validate_entry(national, text_links=True)
    # Keep the source's name for messages even when it failed validation.
    if not normalised.get("name") and national.get("name"):
        normalised["name"] = str(national["name"])[:100]
    candidate.national = normalised
    candidate.result.name = candidate.name
    for key, messages in problems.items():
        definition = standard.get(key)
        for message in messages:
            if key == "publication_category" and not national.get(key):
                message = _(
                    "this field is required (standards before 1.0 have no publication "
                    "category: give it with --publication-category)."
                )
            text = strip_label(definition, message)
            hint = _origin_hint(upgraded, key, national.get(key))
            candidate.result.errors.append(
                Message(
                    f"{key}: {text} {hint}".strip(),
                    key,
                    ", ".join(upgraded.origins.get(key, [])),
                )
            )
    for key, messages in upgraded.errors.items():
        for message in messages:
            candidate.result.errors.append(Message(message, key, key))
    for problem in link_problems(normalised):
        candidate.result.warnings.append(
            Message(f"{problem.key}: {problem.message}", problem.key, row=problem.row)
        )
    if candidate.lars and not is_lars(candidate.lars):
        candidate.error(
            "lars",
            _(
                "“%(value)s” is not an ID of the national register (eight digits, the last a check digit)."
            )
            % {"value": candidate.lars[:40]},
        )
    candidate.local = _local_fields(upgraded.local, candidate)
    if candidate.errors:
        candidate.action = Action.INVALID
    return candidate


def _fill_defaults(candidate: Candidate, register, options) -> None:
    national = candidate.national
    organisation = getattr(register, "organisation_name", "") or ""
    contact = getattr(register, "default_contact_email", "") or ""
    if organisation and not str(national.get("organization") or "").strip():
        national["organization"] = organisation
        candidate.note(
            "organization",
            _("“organization” is empty: the register's organisation “%(value)s” is used.")
            % {"value": organisation},
        )
    if contact and not str(national.get("contact_email") or "").strip():
        national["contact_email"] = contact
        candidate.note(
            "contact_email",
            _("“contact_email” is empty: the register's default contact “%(value)s” is used.")
            % {"value": contact},
        )
    if not national.get("lang"):
        national["lang"] = "nld"
    if options.publication_category and not national.get("publication_category"):
        national["publication_category"] = options.publication_category


def _origin_hint(upgraded, key: str, value) -> str:
    """Which key of the file a refused value of ``key`` came from, when it was another."""
    definition = standard.get(key)
    if definition.is_grouping:
        rows = upgraded.row_origins.get(key, {})
        hints = []
        for number, source in sorted(rows.items()):
            row = (value or [])[number - 1] if number <= len(value or []) else None
            if row is not None and validate_value(definition, [row], text_links=True)[1]:
                hints.append(
                    _("Row %(row)s came from “%(key)s” in the file.")
                    % {"row": number, "key": source}
                )
        return " ".join(hints)
    sources = upgraded.origins.get(key, [])
    if not sources:
        return ""
    return _("Part of this text came from “%(keys)s” in the file.") % {"keys": "”, “".join(sources)}


def _local_fields(local: dict, candidate: Candidate) -> dict:
    cleaned = {}
    if "department" in local:
        value = str(local["department"] or "").strip()
        if TAG_LIKE.search(value):
            candidate.error("department", _("HTML is not allowed in this field; use plain text."))
        elif len(value) > DEPARTMENT_MAX_LENGTH:
            candidate.error(
                "department",
                _("at most %(limit)s characters are allowed; this text has %(count)s.")
                % {"limit": DEPARTMENT_MAX_LENGTH, "count": len(value)},
            )
        cleaned["department"] = value
    if "objection_procedure" in local:
        text = str(local["objection_procedure"] or "")
        if "<" not in text:
            text = paragraphs(text)
        cleaned["objection_procedure"] = clean_html(text, LOCAL_RICH_TEXT_TAGS)
    if "next_review_date" in local:
        cleaned["next_review_date"] = local["next_review_date"]
    return cleaned
