"""Which values of an entry are links, and what is wrong with them before fetching.

Links are the keys whose format is a web address (``url`` in the standard's
definitions: website, source registration, process index, source code), the
contact when it is a web address, and the ``link`` item of every link grouping
(legal basis, impact assessments, data sources). Local links (the extra content
blocks and "objection and appeal") come from the page (:func:`local_links`).

Found without fetching (:func:`static_findings`): free text in a link field (the
national register accepts it, so the import does too; visitors cannot follow it),
an address without ``https://``, another scheme than http(s), and a link to
wetten.overheid.nl that pins one dated version of a law (residents then read an
old text once the law changes; the undated link always shows the current one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.validators import EmailValidator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import standard


WEB_SCHEMES = ("http", "https")
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?$", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
# wetten.overheid.nl/BWBR0005537/2022-01-01[/0/Hoofdstuk4/Artikel4:1][#fragment]
_WETTEN_DATED = re.compile(
    r"^https?://wetten\.overheid\.nl/(?P<id>BWB[RV]\d{7})/(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?P<rest>/[^?#]*)?(?P<fragment>#.*)?$",
    re.I,
)
# wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:1&g=2022-01-01 (g/z pin a date)
_WETTEN_JCI = re.compile(r"^https?://wetten\.overheid\.nl/jci[\d.]+:c:[^?#]*", re.I)
_JCI_DATE = re.compile(r"&[gz]=\d{4}-\d{2}-\d{2}", re.I)
# Path parts of a dated link that name a place in the law, as juriconnect parameters.
_PARTS = re.compile(r"^(Boek|Deel|Hoofdstuk|Titeldeel|Titel|Afdeling|Paragraaf|Artikel)(.+)$")

# The local fields' own verbose names.
LOCAL_LABELS = {
    "body": _("extra content"),
    "objection_procedure": _("objection and appeal"),
}


@dataclass(frozen=True)
class Link:
    """One link value of an entry."""

    key: str  # the standard's key, or a local field name
    url: str  # as stored
    position: int | None = None  # 1-based place in a grouping or list of blocks
    title: str = ""

    @property
    def label(self):
        if self.key in LOCAL_LABELS:
            label = capfirst(LOCAL_LABELS[self.key])
        else:
            label = standard.get(self.key).label
        return f"{label} {self.position}" if self.position else str(label)


def link_keys() -> list[standard.FieldDef]:
    """Definitions of the keys that hold links (see the module docstring)."""
    return [
        d
        for d in standard.input_fields().values()
        if d.format in ("url", "email_or_url") or (d.is_grouping and "link" in d.items)
    ]


def _is_email(value):
    try:
        EmailValidator()(value)
    except Exception:
        return False
    return True


def entry_links(entry: dict) -> list[Link]:
    """The links of an entry in the national format, in the standard's order."""
    links = []
    for definition in link_keys():
        value = entry.get(definition.key)
        if definition.is_grouping:
            for number, row in enumerate(value or [], start=1):
                url = str((row or {}).get("link") or "").strip()
                if url:
                    links.append(
                        Link(definition.key, url, number, str(row.get("title") or "").strip())
                    )
            continue
        url = str(value or "").strip()
        if not url or (definition.format == "email_or_url" and _is_email(url)):
            continue
        links.append(Link(definition.key, url))
    return links


def scheme(url: str) -> str:
    match = _SCHEME.match(url.strip())
    return match.group(1).lower() if match else ""


def is_web_link(url: str) -> bool:
    """An absolute http(s) address with a host: the only kind that is ever fetched."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def undated_law_link(url: str) -> str:
    """The undated form of a wetten.overheid.nl link that pins a version, or ``""``."""
    match = _WETTEN_DATED.match(url.strip())
    if match:
        base = f"https://wetten.overheid.nl/{match['id'].upper()}"
        parts = [p for p in (match["rest"] or "").split("/") if p and p != "0"]
        named = [_PARTS.match(p) for p in parts]
        if parts and all(named):
            # A place in the law: the juriconnect form points at it in the current text.
            query = "".join(f"&{m[1].lower()}={m[2]}" for m in named)
            return f"https://wetten.overheid.nl/jci1.3:c:{match['id'].upper()}{query}"
        return base + (match["fragment"] or "")
    if _WETTEN_JCI.match(url.strip()) and _JCI_DATE.search(url):
        return _JCI_DATE.sub("", url.strip())
    return ""


@dataclass(frozen=True)
class Finding:
    """Something to fix in a link, found without fetching it."""

    kind: str  # "not_a_link", "no_scheme", "other_scheme", "pinned_version"
    suggestion: str = ""
    scheme: str = ""

    @property
    def message(self) -> str:
        if self.kind == "not_a_link":
            return gettext(
                "This is not a web address, so visitors cannot click it. Enter a link that starts with https://, and put the text in the title."
            )
        if self.kind == "no_scheme":
            return gettext("The address is incomplete: write %(suggestion)s.") % {
                "suggestion": self.suggestion
            }
        if self.kind == "other_scheme":
            return gettext(
                "This is not a web address (it starts with “%(scheme)s:”). Only links that start with https:// or http:// are checked."
            ) % {"scheme": self.scheme}
        return gettext(
            "This link points to one dated version of the law. Residents then read an old text when the law changes. Use the link to the current version: %(suggestion)s"
        ) % {"suggestion": self.suggestion}


def static_findings(url: str) -> list[Finding]:
    """What is wrong with ``url`` that needs no fetching."""
    url = url.strip()
    if any(c.isspace() for c in url):
        return [Finding("not_a_link")]  # "Algemene wet bestuursrecht, artikel 4:1"
    found_scheme = scheme(url)
    if "." in found_scheme:
        found_scheme = ""  # "www.example.nl:8080/": a host and port, not a scheme
    if not found_scheme:
        if _DOMAIN_LIKE.match(url.split(":")[0] if ":" in url.split("/")[0] else url):
            return [Finding("no_scheme", suggestion=f"https://{url}")]
        return [Finding("not_a_link")]
    if found_scheme not in WEB_SCHEMES:
        return [Finding("other_scheme", scheme=found_scheme)]
    if not is_web_link(url):
        return [Finding("not_a_link")]
    undated = undated_law_link(url)
    if undated:
        return [Finding("pinned_version", suggestion=undated)]
    return []
