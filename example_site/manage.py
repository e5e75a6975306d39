#!/usr/bin/env python
import os
import sys
from pathlib import Path


if __name__ == "__main__":
    # The package lives one level up; make it importable without installing.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
