"""Import of register entries from the national formats and vendor templates.

- :mod:`.limits`: bounds on what is read (size, entries, cells, unpacked size, JSON
  depth; settings) and the text encodings recognised;
- :mod:`.readers`: files (JSON, national and own CSV/XLSX, Eurocities CSV) as raw records;
- :mod:`.eurocities`: the Eurocities 0.3.1 template mapped to the national keys (records
  of the national register's versions are mapped by
  :mod:`wagtail_algoregister.standard.upgrades`);
- :mod:`.candidates`: each record mapped, completed and validated;
- :mod:`.matching`: matched with the register's entries (ids, probable duplicates);
- :mod:`.importer`: :func:`run_import`, the whole import in one transaction, written by
  :mod:`.bulk` (new entries), :mod:`.values` (updates) and :mod:`.indexing`/:mod:`.tasks`;
- :mod:`.results`: what the import did, per entry (:class:`ImportResult`), for the
  command and for an upload view.

The command is ``manage.py algoregister_import``; its counterpart
``algoregister_export`` writes the public downloads (:mod:`wagtail_algoregister.formats.downloads`).
"""

from wagtail_algoregister.importing.importer import ImportFailed, Options, run_import
from wagtail_algoregister.importing.results import (
    Action,
    EntryResult,
    FieldChange,
    ImportResult,
    Message,
)


__all__ = [
    "Action",
    "EntryResult",
    "FieldChange",
    "ImportFailed",
    "ImportResult",
    "Message",
    "Options",
    "run_import",
]
