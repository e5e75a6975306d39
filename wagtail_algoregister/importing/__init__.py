"""Import of register entries from the national formats and vendor templates.

- :mod:`.readers`: files (JSON, national and own CSV/XLSX, Eurocities CSV) as raw records;
- :mod:`.versions`: a record of any version of the standard mapped to 1.0;
- :mod:`.eurocities`: the Eurocities 0.3.1 template mapped to the national keys;
- :mod:`.importer`: validation, matching and writing in one transaction.

The command is ``manage.py algoregister_import``; its counterpart
``algoregister_export`` writes the public downloads (:mod:`wagtail_algoregister.formats.downloads`).
"""

from wagtail_algoregister.importing.importer import ImportFailed, Options, Result, run_import


__all__ = ["ImportFailed", "Options", "Result", "run_import"]
