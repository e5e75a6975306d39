"""Validation and normalisation of entries by the rules of the standard.

Pure functions over plain values, so that the admin (model ``clean``), the
importer and the demo loader apply exactly the same rules. An entry is a dict
keyed by the standard's keys (the national JSON format); groupings are lists of
``{"title": ..., "link": ...}`` dicts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.standard.text import remove_control_characters


YEAR_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
# Something that an HTML parser would read as a tag (not "a < b").
TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
# Elements whose content is dropped with the element, not kept as text.
DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "svg",
    "math",
}
VOID = {"br"}

_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


class _Sanitiser(HTMLParser):
    def __init__(self, allowed):
        super().__init__(convert_charrefs=True)
        self.allowed = set(allowed)
        self.out = []
        self.open = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_WITH_CONTENT:
            self.skip += 1
        elif self.skip:
            return
        elif tag in self.allowed:
            if tag in VOID:
                self.out.append("<br>")
            else:
                self.out.append(f"<{tag}>")
                self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in self.allowed and tag in VOID and not self.skip:
            self.out.append("<br>")

    def handle_endtag(self, tag):
        if tag in DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif self.skip or tag not in self.open:
            return
        else:
            # Close anything left open inside this element so the output nests.
            while self.open:
                current = self.open.pop()
                self.out.append(f"</{current}>")
                if current == tag:
                    break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def result(self):
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def clean_html(value: str, allowed_tags) -> str:
    """Keep only ``allowed_tags`` (without attributes); drop scripts and styles whole.

    Text inside other tags is kept and escaped, so the result is always safe to
    render and uses only the tags the standard permits.
    """
    if not value:
        return ""
    sanitiser = _Sanitiser(allowed_tags)
    sanitiser.feed(value)
    cleaned = sanitiser.result().strip()
    # An editor's empty paragraph is no content.
    return "" if not strip_html(cleaned) else cleaned


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes = []

    def handle_data(self, data):
        self.nodes.append(data)


# A start or end tag without attributes of an element whose content is ordinary text:
# what the sanitiser writes. script/style (raw text for a parser) are not among them.
_PLAIN_TAG = re.compile(r"</?(?:p|div|ul|ol|li|br|strong|em|b|i|u|span|h[1-6])\s*/?>", re.I)


def strip_html(value: str) -> str:
    """The text of an HTML fragment: its text nodes joined by a space.

    This is how the national register counts its limits ("max_length without
    HTML"), so an entry that passes here also passes there.

    Stored rich text holds only attribute-free tags of the standard: its text nodes
    are what lies between those tags, with character references decoded, which a
    regular expression finds several times faster than a parser (the catalogue
    and the CKAN export read every description). Anything else (attributes,
    comments, a stray ``<``) goes through the parser; the tests check both agree.
    """
    if not value:
        return ""
    if "<" not in value:
        return html.unescape(value) if "&" in value else value
    parts = _PLAIN_TAG.split(value)
    if not any("<" in part for part in parts):
        return " ".join(html.unescape(part) if "&" in part else part for part in parts if part)
    return _strip_html_parsed(value)


def _strip_html_parsed(value: str) -> str:
    parser = _TextNodes()
    parser.feed(value)
    parser.close()
    return " ".join(parser.nodes)


def text_length(value: str) -> int:
    return len(strip_html(value))


def is_year_month(value: str) -> bool:
    return bool(YEAR_MONTH.match(value)) and 1 <= int(value[5:]) <= 12


def _message(definition, text):
    return f"{definition.label}: {text}"


# Schemes a browser runs or reads from elsewhere: never in a link field, not even as text.
_UNSAFE_SCHEME = re.compile(r"^[\x00-\x20]*(?:javascript|vbscript|data|file)[\x00-\x20]*:", re.I)
# "www.example.nl", "example.nl/pagina": an address without its scheme.
_BARE_ADDRESS = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#:]\S*)?$", re.I)


def is_web_address(value) -> bool:
    """Whether ``value`` is an ``http(s)://`` address (what is shown as a link)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        _url(value)
    except ValidationError:
        return False
    return True


def is_email(value) -> bool:
    try:
        _email(value)
    except ValidationError:
        return False
    return True


def looks_like_address(value: str) -> bool:
    """A web address without ``https://`` (``www.example.nl``)."""
    return bool(_BARE_ADDRESS.match(value)) and is_web_address(f"https://{value}")


def link_refusal(value: str) -> str:
    """Why ``value`` cannot be a link, for an editor who typed it."""
    if looks_like_address(value):
        return _(
            "“%(value)s” is not a complete web address: add https:// in front (https://%(value)s)."
        ) % {"value": value}
    if _UNSAFE_SCHEME.match(value):
        return _(
            "“%(value)s” is not a web address: only addresses that start with https:// or http:// are allowed."
        ) % {"value": value}
    return _("this field needs a web address, starting with https://; “%(value)s” is text.") % {
        "value": value
    }


def _check_url(definition, value, errors, text_links=False):
    if is_web_address(value) or (text_links and not _UNSAFE_SCHEME.match(value)):
        return
    errors.append(_message(definition, link_refusal(value)))


def validate_value(
    definition: standard.FieldDef, value, *, text_links: bool = False
) -> tuple[object, list[str]]:
    """Normalise one value and check it against its definition.

    Returns ``(normalised_value, errors)``; each error names the field and the rule.

    Link fields (``website``, ``url``, ``process_index_url``, ``publiccode``, the
    ``link`` of a grouping row) and the contact (``contact_email``) must hold a web
    address (or an e-mail address, for the contact), unless ``text_links``: then text
    is accepted as the national register accepts it (the standard defines these as
    strings of at most 500 characters), and :func:`link_problems` reports it as a
    quality warning. A script-capable scheme (``javascript:``, ``data:``, …) is
    refused either way. Text in a link field is shown as text, never as a link.
    """
    errors: list[str] = []
    if definition.is_grouping:
        return _validate_grouping(definition, value or [], text_links=text_links)
    if definition.is_multiple_choice:
        values = [remove_control_characters(v) for v in (value or []) if v not in (None, "")]
        unknown = [v for v in values if v not in definition.permitted_values]
        for v in unknown:
            errors.append(
                _message(
                    definition,
                    _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                    % {"value": v, "allowed": ", ".join(definition.permitted_values)},
                )
            )
        # Keep the standard's order and drop duplicates.
        normalised = [v for v in definition.permitted_values if v in values]
        if definition.required and not normalised:
            errors.append(_message(definition, _("this field is required.")))
        return normalised, errors

    # No XML writer or database takes control characters (see standard.text).
    value = "" if value is None else remove_control_characters(str(value))
    if definition.is_rich_text:
        value = clean_html(value, definition.allowed_html_tags)
    else:
        value = value.strip()
        if TAG_LIKE.search(value):
            errors.append(
                _message(definition, _("HTML is not allowed in this field; use plain text."))
            )
    if not value:
        if definition.required:
            errors.append(_message(definition, _("this field is required.")))
        return value, errors

    if definition.max_length:
        count = text_length(value) if definition.is_rich_text else len(value)
        if count > definition.max_length:
            errors.append(
                _message(
                    definition,
                    _(
                        "at most %(limit)s characters (without formatting) are allowed; this text has %(count)s."
                    )
                    % {"limit": definition.max_length, "count": count},
                )
            )
    if definition.permitted_values and value not in definition.permitted_values:
        errors.append(
            _message(
                definition,
                _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(definition.permitted_values)},
            )
        )
    if definition.format == "year_month" and not is_year_month(value):
        errors.append(
            _message(
                definition,
                _("use the form YYYY-MM, for example 2024-03 (“%(value)s” is not).")
                % {"value": value},
            )
        )
    elif definition.format == "url":
        _check_url(definition, value, errors, text_links)
    elif definition.format == "email_or_url":
        accepted = is_email(value) or is_web_address(value)
        if not accepted and not (text_links and not _UNSAFE_SCHEME.match(value)):
            if looks_like_address(value) or _UNSAFE_SCHEME.match(value) or "://" in value:
                errors.append(_message(definition, link_refusal(value)))
            else:
                errors.append(
                    _message(
                        definition,
                        _(
                            "enter an e-mail address or a web address starting with https:// (“%(value)s” is neither)."
                        )
                        % {"value": value},
                    )
                )
    return value, errors


def _validate_grouping(definition, rows, *, text_links=False):
    normalised, errors = [], []
    for number, row in enumerate(rows, start=1):
        row = row or {}
        item = {}
        for item_key, item_def in definition.items.items():
            raw = row.get(item_key)
            value = "" if raw is None else remove_control_characters(str(raw)).strip()
            prefix = f"{definition.label} {number}, {item_def.label}"
            if TAG_LIKE.search(value):
                errors.append(
                    f"{prefix}: " + _("HTML is not allowed in this field; use plain text.")
                )
            if not value:
                if item_def.required:
                    errors.append(f"{prefix}: " + _("this field is required."))
            elif item_def.max_length and len(value) > item_def.max_length:
                errors.append(
                    f"{prefix}: "
                    + _(
                        "at most %(limit)s characters (without formatting) are allowed; this text has %(count)s."
                    )
                    % {"limit": item_def.max_length, "count": len(value)}
                )
            if value and item_key == "link" and not is_web_address(value):
                if not text_links or _UNSAFE_SCHEME.match(value):
                    errors.append(f"{prefix}: " + link_refusal(value))
            item[item_key] = value
        if any(item.values()):
            normalised.append(item)
    return normalised, errors


def validate_entry(entry: dict, *, text_links: bool = False) -> tuple[dict, dict[str, list[str]]]:
    """Normalise and validate a whole entry in the national format.

    Returns ``(normalised_entry, errors_by_key)``. Unknown keys are left out of
    the normalised entry (the importer reports them itself). ``text_links``: see
    :func:`validate_value`.
    """
    normalised, errors = {}, {}
    for key, definition in standard.input_fields().items():
        value, problems = validate_value(definition, entry.get(key), text_links=text_links)
        normalised[key] = value
        if problems:
            errors[key] = problems
    begin, end = normalised.get("begin_date"), normalised.get("end_date")
    if begin and end and "begin_date" not in errors and "end_date" not in errors and end < begin:
        errors.setdefault("end_date", []).append(
            _message(
                standard.get("end_date"),
                _("the end date (%(end)s) is before the begin date (%(begin)s).")
                % {"end": end, "begin": begin},
            )
        )
    return normalised, errors


@dataclass(frozen=True)
class LinkProblem:
    """A link field that holds something residents cannot follow (a quality warning)."""

    key: str  # the standard's key
    row: int | None  # the row of a grouping (from 1), or None
    value: str
    message: str


def link_problems(entry: dict) -> list[LinkProblem]:
    """Link fields of ``entry`` that hold text instead of a web address.

    ``entry`` is keyed by the standard's keys, groupings as lists of ``{"title",
    "link"}`` dicts (``{key: page.standard_value(key)}`` for a page). The national
    register accepts text in these fields and so does the import
    (``validate_entry(..., text_links=True)``); residents see such text as text, not
    as a link. Each problem says what to do. Pure: the importer's report and the
    editor's quality checks call the same function.
    """
    problems = []
    for key, definition in standard.input_fields().items():
        value = entry.get(key)
        if definition.is_grouping:
            for number, row in enumerate(value or [], start=1):
                title = str((row or {}).get("title") or "").strip()
                link = str((row or {}).get("link") or "").strip()
                if link and not is_web_address(link):
                    if is_web_address(title):
                        message = _(
                            "row %(row)s: the title is a web address and the link is text; "
                            "they seem to be swapped."
                        ) % {"row": number}
                    else:
                        message = _("row %(row)s: %(problem)s") % {
                            "row": number,
                            "problem": _text_link(link, row=True),
                        }
                    problems.append(LinkProblem(key, number, link, message))
                elif not link and is_web_address(title):
                    message = _(
                        "row %(row)s: the title is a web address and the link is empty; "
                        "put the address in the link and give the row a title."
                    ) % {"row": number}
                    problems.append(LinkProblem(key, number, title, message))
        elif definition.format in ("url", "email_or_url"):
            text = str(value or "").strip()
            if not text or is_web_address(text):
                continue
            if definition.format == "email_or_url" and is_email(text):
                continue
            problems.append(LinkProblem(key, None, text, _text_link(text)))
    return problems


def _text_link(value: str, *, row: bool = False) -> str:
    parts = value.split()
    if len(parts) > 1 and all(is_web_address(part) for part in parts):
        values = {"value": _shorten(value), "count": len(parts)}
        if row:
            return (
                _(
                    "“%(value)s” holds %(count)s web addresses, which together are no link: give "
                    "each address a row of its own."
                )
                % values
            )
        return (
            _("“%(value)s” holds %(count)s web addresses, which together are no link: keep one.")
            % values
        )
    if looks_like_address(value):
        return _(
            "“%(value)s” is shown as text, not as a link: add https:// in front to make it a link."
        ) % {"value": value}
    return _(
        "“%(value)s” is not a web address, so residents see it as text, not as a link. "
        "Put a web address here (starting with https://) and the text in a text field."
    ) % {"value": _shorten(value)}


def _shorten(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def lars_check_digit(first_seven: str) -> int:
    """The national register's check digit over the first seven digits of a LARS code."""
    d = [int(c) for c in first_seven]
    return ((d[0] + d[2] + d[4] + d[6]) * 3 + d[1] + d[3] + d[5]) % 10


def is_lars(value: str) -> bool:
    """Whether ``value`` is a well-formed LARS code (the national register's algorithm id).

    Eight digits, the last a check digit over the first seven (the register's
    ``backend/app/util/upc.py``).
    """
    return (
        isinstance(value, str)
        and len(value) == 8
        and value.isascii()
        and value.isdigit()
        and lars_check_digit(value[:7]) == int(value[7])
    )
