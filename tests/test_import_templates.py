"""Property tests: entries shaped like the national register's vendor templates import
without changes, whatever quirks they carry.

The generated entries are 1.0 records as the national register's vendor templates
("sjablonen", ``backend/app/data/templates/1.0/*.json``) write them, with every quirk
found in them: keys of older versions (``type``, ``source_data_link``, ``uuid``,
``iama_description``), ``null`` for empty fields, an empty ``organization``, upper-case
language codes (``NLD``), ``standard_version`` ``1.0.0``, text in link fields (the
website, a grouping row's link, several addresses on several lines), completely empty
grouping rows, rows whose title and link are swapped, and a missing contact.

The property (issue 12, "done when"): every such entry that carries the contact the
standard requires, or that gets it from the register's default contact, imports with
no error, and what is stored is exactly the template's value of every 1.0 key, after
the standard's own normalisation only (``lang`` in lower case, themes in the standard's
order, empty rows left out). Each text in a link field is a warning, each old key a
note. An entry without any contact in a register without a default contact is refused
for exactly that. Through the database: stored, downloaded and imported again, nothing
changes; imported again as a template, nothing is created twice.
"""

import json
from io import StringIO

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import call_command_in_english
from wagtail_algoregister import standard
from wagtail_algoregister.importing import Action, Options, run_import
from wagtail_algoregister.importing.candidates import build_candidate
from wagtail_algoregister.importing.readers import Record, read_bytes
from wagtail_algoregister.models import AlgorithmPage


pytestmark = pytest.mark.usefixtures("english")

INPUT = standard.input_fields()
URL_KEYS = ["website", "url", "process_index_url", "publiccode"]
OLD_KEYS = ("type", "source_data_link", "uuid", "iama_description")
GROUPINGS = [d.key for d in standard.grouping_fields()]

# Text as templates have it: letters (accented too), digits, spaces, punctuation; no
# characters HTML would escape, so that the stored text is the template's text.
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëïöüÉ0123456789 .,;:()-/?!"


def text(min_size=1, max_size=60):
    return (
        st.text(alphabet=ALPHABET, min_size=min_size, max_size=max_size)
        .map(lambda t: " ".join(t.split()))
        .filter(lambda t: len(t) >= min_size and not t.startswith(("http", "www")))
    )


urls = st.builds(
    lambda host, page: f"https://{host}.example/{page}",
    st.text(alphabet="abcdefghijklmnop", min_size=1, max_size=12),
    st.text(alphabet="abcdefghij0123456789-", max_size=20),
)
bare_addresses = urls.map(lambda u: u.removeprefix("https://"))  # "www.x.nl" quirk
several_urls = st.lists(urls, min_size=2, max_size=3).map("\n".join)
link_values = st.one_of(urls, text(), bare_addresses, several_urls)
empty = st.sampled_from([None, ""])

rich_texts = st.one_of(
    empty,
    text(max_size=200),
    text(max_size=200).map(lambda t: f"<p>{t}</p>"),
    st.tuples(text(), text()).map(lambda p: f"<div><p>{p[0]}</p><p>{p[1]}</p></div>"),
    st.lists(text(), min_size=1, max_size=3).map(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    ),
)


@st.composite
def rows(draw, key):
    """A grouping's rows: real ones, text links, swapped ones and empty ones."""
    link_required = INPUT[key].items["link"].required
    limit = INPUT[key].items["title"].max_length or 200
    row = st.one_of(
        st.builds(lambda t, li: {"title": t, "link": li}, text(max_size=limit), urls),
        st.builds(lambda t, li: {"title": t, "link": li}, text(max_size=limit), link_values),
        # Swapped: the address in the title, text in the link.
        st.builds(
            lambda t, li: {"title": t, "link": li}, urls.filter(lambda u: len(u) <= limit), text()
        ),
        st.just({"title": "", "link": ""}),
    )
    if not link_required:
        row = st.one_of(row, st.builds(lambda t: {"title": t, "link": ""}, text(max_size=limit)))
    return draw(st.one_of(empty, st.lists(row, max_size=4)))


@st.composite
def template_entries(draw, number=0):
    vocab = lambda key: st.sampled_from(INPUT[key].permitted_values)  # noqa: E731
    entry = {
        "id": f"leverancier-{number}",
        "name": draw(text(max_size=100)),
        "organization": draw(st.one_of(empty, text(max_size=100))),
        "description_short": draw(text(max_size=400)),
        "category": draw(st.one_of(empty, st.lists(vocab("category"), max_size=3, unique=True))),
        "publication_category": draw(vocab("publication_category")),
        "status": draw(vocab("status")),
        "begin_date": draw(st.one_of(empty, st.sampled_from(["2020-01", "2023-11"]))),
        "end_date": draw(st.one_of(empty, st.just("2030-12"))),
        "provider": draw(st.one_of(empty, text(max_size=200))),
        "lang": draw(st.sampled_from(["NLD", "nld", "Nld", "nl"])),
        "standard_version": draw(st.sampled_from(["1.0", "1.0.0"])),
        "source_id": None,
        "tags": draw(st.one_of(empty, text(max_size=80))),
    }
    contact = draw(
        st.one_of(
            st.just("algoritmes@leverancier.example"),
            urls,
            text(max_size=80),  # "Bel 14 020": text, as the national register accepts
            st.just(None),  # missing: the register's default contact
            st.just("absent"),
        )
    )
    if contact != "absent":
        entry["contact_email"] = contact
    for key in URL_KEYS:
        entry[key] = draw(st.one_of(empty, link_values))
    for key, definition in INPUT.items():
        if definition.is_rich_text:
            entry[key] = draw(rich_texts)
    for key in GROUPINGS:
        entry[key] = draw(rows(key))
    for key in OLD_KEYS:
        entry[key] = draw(
            st.one_of(empty, st.sampled_from(["Zelflerend", "Ja", "Nee"]), urls, text(max_size=100))
        )
    return entry


class Register:
    organisation_name = "Gemeente Noorderhaaks"
    default_contact_email = "algoritmes@noorderhaaks.example"


class RegisterWithoutContact(Register):
    default_contact_email = ""


def expected(entry, register=Register):
    """What the import stores for each 1.0 key: the template's value, normalised only."""
    want = {}
    for key, definition in INPUT.items():
        value = entry.get(key)
        if definition.is_grouping:
            want[key] = [
                {"title": r["title"].strip(), "link": r["link"].strip()}
                for r in value or []
                if r["title"] or r["link"]
            ]
        elif definition.is_multiple_choice:
            want[key] = [v for v in definition.permitted_values if v in (value or [])]
        else:
            want[key] = (value or "").strip()
    want["lang"] = "nld"
    want["standard_version"] = "1.0"
    want["organization"] = entry.get("organization") or register.organisation_name
    want["contact_email"] = entry.get("contact_email") or register.default_contact_email
    return want


def is_address(value: str) -> bool:
    return value.startswith("https://") and not any(c.isspace() for c in value)


def text_links(entry) -> set[str]:
    found = {k for k in URL_KEYS if entry.get(k) and not is_address(entry[k])}
    found |= {
        key
        for key in GROUPINGS
        for r in entry.get(key) or []
        if (r["link"] and not is_address(r["link"])) or (not r["link"] and is_address(r["title"]))
    }
    contact = entry.get("contact_email")
    if contact and "@" not in contact and not is_address(contact):
        found.add("contact_email")
    return found


@settings(max_examples=400, deadline=None, derandomize=True)
@given(template_entries())
def test_template_entries_import_without_changes(entry):
    candidate = build_candidate(Record("entry 1", entry), Register(), Options())
    assert candidate.errors == [], [e.text for e in candidate.errors]
    want = expected(entry)
    for key in INPUT:
        assert candidate.national[key] == want[key], key
    # Each old key with a value is reported by name, and changes nothing.
    for key in OLD_KEYS:
        reported = [n for n in candidate.result.notes if n.source_key == key]
        assert len(reported) == (1 if entry.get(key) else 0), key
    # Each text in a link field is a warning, naming its field.
    assert {w.key for w in candidate.result.warnings} == text_links(entry)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(template_entries())
def test_a_template_without_any_contact_is_refused_for_that_only(entry):
    entry.pop("contact_email", None)
    candidate = build_candidate(Record("entry 1", entry), RegisterWithoutContact(), Options())
    assert [e.key for e in candidate.errors] == ["contact_email"]
    assert "required" in candidate.errors[0].text


@settings(max_examples=150, deadline=None, derandomize=True)
@given(template_entries())
def test_template_files_read_as_they_were_written(entry):
    data = json.dumps([entry], ensure_ascii=False, indent=2).encode()
    (record,) = read_bytes(data, name="Leverancier.json")
    assert record.data == entry


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(template_entries(), min_size=1, max_size=3))
def test_template_files_round_trip_through_the_database(client, register, tmp_path, batch):
    # Distinct names: entries without ids are told apart by organisation and name.
    for number, entry in enumerate(batch):
        entry["name"] = f"{entry['name'][:90]} {number}"
    sid = transaction.savepoint()
    try:
        path = tmp_path / "Leverancier.json"
        path.write_text(json.dumps(batch, ensure_ascii=False), "utf-8")
        result = run_import(path, register, Options(publish=True))
        assert [e.action for e in result.entries] == [Action.CREATED] * len(batch)
        register_values = type(
            "R",
            (),
            {
                "organisation_name": register.organisation_name,
                "default_contact_email": register.default_contact_email,
            },
        )
        pages = {p.pk: p for p in AlgorithmPage.objects.child_of(register)}
        for entry, entry_result in zip(batch, result.entries, strict=True):
            page = pages[entry_result.page_id]
            stored = {key: page.standard_value(key) for key in INPUT}
            stored.pop("source_id")  # empty in the template: the entry's own id
            want = expected(entry, register_values)
            want.pop("source_id")
            assert stored == want
            assert client.get(page.url).status_code == 200
        # Downloaded and imported again: matched and unchanged.
        export = tmp_path / "export.json"
        export.write_bytes(b"".join(client.get(f"{register.url}export.json").streaming_content))
        out = StringIO()
        call_command_in_english(
            "algoregister_import",
            str(export),
            "--register",
            str(register.pk),
            "--update",
            stdout=out,
        )
        assert f"updated: 0, unchanged: {len(batch)}" in out.getvalue(), out.getvalue()
        # The template imported again: probable duplicates, nothing created.
        again = run_import(path, register, Options(publish=True))
        assert again.count(Action.DUPLICATE) == len(batch)
        assert AlgorithmPage.objects.child_of(register).count() == len(batch)
    finally:
        transaction.savepoint_rollback(sid)
