"""Dataset names (CKAN's URL slug of a dataset): derived once, then frozen by the engine.

A name is ``<prefix>-<slug of the entry name>-<hash of the entry key>``:

* the prefix is the portal's ``NAME_PREFIX``, else the organisation code, else
  ``algoritme``; it keeps one organisation's names apart from another's on a
  shared portal such as data.overheid.nl, where names are unique site-wide;
* the slug makes the name readable; it is cut so the whole name stays within
  CKAN's 100 characters with room for a collision suffix;
* the hash of the entry's stable key makes the name unique per entry and
  independent of later renames (the engine stores the first name it used).

CKAN's rule: 2-100 characters of ``[a-z0-9_-]`` (and not "new", "edit" or
"search", which the hash rules out).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from wagtail_algoregister.formats.context import EntryContext

from .conf import Portal


MAX_LENGTH = 100
HASH_LENGTH = 8
# Room kept free for next_name's "-N" suffix, so a suffix never cuts the hash.
SUFFIX_ROOM = 4
MAX_PREFIX = 30
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
SUFFIXED = re.compile(rf"^(.*-[0-9a-f]{{{HASH_LENGTH}}})-[0-9]{{1,3}}$")

# Letters that Unicode does not decompose into an ASCII letter plus accents.
TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Één café" -> "een-cafe"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _cut(slug: str, length: int) -> str:
    """At most ``length`` characters, cut at a hyphen when one is near the end."""
    if len(slug) <= length:
        return slug
    cut = slug[:length]
    if "-" in cut[length // 2 :]:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def key_hash(key: str) -> str:
    return hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def dataset_name(context: EntryContext, portal: Portal) -> str:
    """The dataset name of an entry on a portal: deterministic, valid, unique per entry."""
    prefix = ""
    for candidate in (portal.name_prefix, context.organisation_code, "algoritme"):
        prefix = _cut(slugify(candidate or ""), MAX_PREFIX)
        if prefix:
            break
    digest = key_hash(context.key)
    room = MAX_LENGTH - SUFFIX_ROOM - len(prefix) - len(digest) - 2
    slug = _cut(slugify(context.entry.get("name") or ""), room)
    return "-".join(part for part in (prefix, slug, digest) if part)


def next_name(name: str, n: int) -> str:
    """The ``n``-th alternative of ``name`` (n >= 2) after a name collision: ``<name>-<n>``.

    A suffix that an earlier call added is replaced, not stacked, so
    ``next_name(next_name(name, 2), 3) == next_name(name, 3)``. The result
    stays within 100 characters (the name is cut before the suffix if needed).
    """
    match = SUFFIXED.match(name)
    base = match.group(1) if match else name
    suffix = f"-{n}"
    return base[: MAX_LENGTH - len(suffix)].rstrip("-_") + suffix


def is_valid_name(name: str) -> bool:
    return bool(NAME.match(name or "")) and name not in ("new", "edit", "search")
