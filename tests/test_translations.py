"""The shipped catalogues are complete and compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / "wagtail_algoregister" / "locale",
    ROOT / "ckan_export" / "locale",
    ROOT / "national_export" / "locale",
    ROOT / "example_site" / "locale",
]
ENTRY = re.compile(
    r'^(#, fuzzy\n)?(?:#.*\n)*msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)',
    re.M,
)


def parse(po_text):
    """(fuzzy, msgid, [msgstr...]) for every entry but the header."""
    for match in ENTRY.finditer(po_text):
        fuzzy, msgid, _plural, msgstrs = match.groups()
        msgid = "".join(ast.literal_eval(line) for line in msgid.splitlines())
        values = [
            "".join(ast.literal_eval(s) for s in re.findall(r'".*"', block))
            for block in re.split(r"msgstr(?:\[\d\])? ", msgstrs)[1:]
        ]
        if msgid:
            yield bool(fuzzy), msgid, values


@pytest.mark.parametrize("locale_dir", CATALOGUES, ids=lambda p: p.parent.name)
def test_dutch_catalogue_is_complete_and_compiled(locale_dir):
    po = (locale_dir / "nl" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    entries = list(parse(po))
    assert entries
    with open(locale_dir / "nl" / "LC_MESSAGES" / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for fuzzy, msgid, values in entries:
        assert not fuzzy, msgid
        assert all(values), f"untranslated: {msgid!r}"
        # The .mo file holds the same translation, so it was compiled after the last edit.
        assert (
            compiled.gettext(msgid) == values[0] or compiled.ngettext(msgid, "", 1) == values[0]
        ), msgid


@pytest.mark.parametrize("locale_dir", CATALOGUES, ids=lambda p: p.parent.name)
def test_english_catalogue_exists(locale_dir):
    assert (locale_dir / "en" / "LC_MESSAGES" / "django.mo").is_file()
