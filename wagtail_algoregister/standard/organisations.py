"""Dutch public organisations (municipalities, provinces, water boards) and their codes.

Packaged copies of the national register's lists (EUPL-1.2, see
``standard/data/LICENSE-NOTE.md``). The code is the lower-case TOOI/CBS code
that the national register uses as organisation id, such as ``gm0363``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.translation import gettext_lazy as _


KINDS = {
    "Gemeenten.csv": ("gemeente", _("Municipalities")),
    "Provincies.csv": ("provincie", _("Provinces")),
    "Waterschappen.csv": ("waterschap", _("Water boards")),
}


@dataclass(frozen=True)
class Organisation:
    code: str  # e.g. "gm0363" (the national register's org_id)
    identifier: str  # e.g. "GM0363" (CBS code)
    name: str  # e.g. "Gemeente Amsterdam"
    kind: str  # gemeente, provincie, waterschap


@cache
def organisations() -> dict[str, Organisation]:
    result = {}
    folder = resources.files("wagtail_algoregister.standard").joinpath("data", "organisations")
    for filename, (kind, _label) in KINDS.items():
        rows = csv.DictReader(
            io.StringIO(folder.joinpath(filename).read_text("utf-8")), delimiter=";"
        )
        for row in rows:
            org = Organisation(
                row["org_id"].strip(), row["identifier"].strip(), row["name"].strip(), kind
            )
            result[org.code] = org
    return result


def get(code: str) -> Organisation | None:
    return organisations().get((code or "").lower())


def choices():
    """Grouped choices for a select box: (kind label, [(code, name), ...])."""
    groups = []
    for _filename, (kind, label) in KINDS.items():
        members = sorted(
            (o for o in organisations().values() if o.kind == kind), key=lambda o: o.name
        )
        groups.append((label, [(o.code, f"{o.name} ({o.code})") for o in members]))
    return groups
