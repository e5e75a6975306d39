"""Benchmark the import command against a bare ORM bulk insert of the same entries.

    .venv/bin/python -m bench.imports [--sizes 300,1500] [--db PATH]

For each size N (default 300 and 1,500) the benchmark generates N realistic entries
(``bench.exports.generated_entry``: every key of the standard, rich text, one to three
links per grouping) as a national JSON file and measures in one run:

- ``import``: the real command, end to end (``call_command("algoregister_import",
  path, "--register", id, "--publish")``: reading, mapping, validating, matching, then
  creating the pages, revisions, log entries and publication in one transaction),
  into an empty register, with the example site's task queue (``django_tasks_db``):
  the import enqueues the search and reference index updates, as Wagtail does for
  every save;
- ``index``: what the worker then does with those tasks (``indexing.index_entries``
  per chunk of 500), timed separately; ``with index/s`` is the rate of both together;
- ``bulk``: a bare ORM bulk insert of the same entries into another empty register
  (``bench.exports.fill``: page rows with computed tree paths, ``bulk_create`` in
  batches of 1,000; no validation, revisions, search index or publishing);
- the database queries of the import, per entry.

Targets (exit status 1 when one is missed):

- at least 50 entries per second end to end for every size;
- queries per entry constant: at the largest size at most 5 % more than at the
  smallest (the per-file queries, such as matching, are shared by more entries as N
  grows, so the number may go down, never up).

The ratio import/bulk shows what the page machinery (validation, revisions, log
entries, publishing) costs next to raw inserts; it and the indexing time are
reported, not targets.

The database: ``DATABASE_URL`` from the environment (e.g. a cluster from
``scripts/pg.sh start``), else a new SQLite file in a temporary directory (``--db``
picks a file). Registers are created new on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from io import StringIO
from pathlib import Path

from bench.exports import generated_entry, log, setup_django


TARGET_RATE = 50  # entries per second, end to end
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
QUERY_GROWTH = 1.05  # queries per entry at the largest size / at the smallest


def new_register(title):
    from wagtail.models import Page

    from wagtail_algoregister.models import AlgorithmRegisterPage

    home = Page.get_first_root_node().get_children().first().specific
    register = AlgorithmRegisterPage(
        title=title,
        slug=f"bench-{uuid.uuid4().hex[:10]}",
        organisation_name="Gemeente Noorderhaaks",
        default_contact_email="algoritmes@noorderhaaks.example",
    )
    home.add_child(instance=register)
    register.save_revision().publish()
    return register


def measure_import(size: int, directory: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from wagtail_algoregister.importing.indexing import INDEX_CHUNK, index_entries
    from wagtail_algoregister.models import AlgorithmPage

    path = directory / f"national-{size}.json"
    path.write_text(
        json.dumps([generated_entry(n) for n in range(size)], ensure_ascii=False), "utf-8"
    )
    register = new_register(f"Import {size}")
    out = StringIO()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    # The example site's task queue (django_tasks_db): the import enqueues the index
    # updates, a worker runs them (measured separately below).
    with override_settings(TASKS=DATABASE_TASKS), connection.execute_wrapper(count):
        started = time.perf_counter()
        call_command(
            "algoregister_import",
            str(path),
            "--register",
            str(register.pk),
            "--publish",
            stdout=out,
            stderr=StringIO(),
        )
        seconds = time.perf_counter() - started
    # What the worker then does: the search and reference indexes, in bulk.
    pks = list(AlgorithmPage.objects.child_of(register).values_list("pk", flat=True))
    started = time.perf_counter()
    for start in range(0, len(pks), INDEX_CHUNK):
        index_entries(pks[start : start + INDEX_CHUNK])
    index_seconds = time.perf_counter() - started
    created = AlgorithmPage.objects.child_of(register).live().count()
    if created != size:
        raise RuntimeError(f"imported {created} of {size} entries: {out.getvalue()[-500:]}")
    return {"seconds": seconds, "queries": len(queries), "index": index_seconds}


def measure_bulk(size: int) -> float:
    from unittest import mock

    from wagtail.models import Page

    from bench.exports import fill

    register = new_register(f"Bulk {size}")
    # fill() ends with a check of the whole tree (Page.find_problems), which is not
    # part of an insert: it runs after the clock stops.
    with mock.patch.object(Page, "find_problems", classmethod(lambda cls: ())):
        seconds = fill(register, size)
    if any(Page.find_problems()):
        raise RuntimeError("treebeard reports problems after the bulk insert")
    return seconds


def report(results) -> bool:
    ok = True
    print()
    print(
        f"{'entries':>8} {'import s':>9} {'entries/s':>10} {'bulk s':>8} {'bulk/s':>9} "
        f"{'import/bulk':>11} {'queries/entry':>14} {'index s':>8} {'with index/s':>13}"
    )
    for size, r in results.items():
        rate = size / r["seconds"]
        bulk_rate = size / r["bulk"] if r["bulk"] else float("inf")
        print(
            f"{size:>8} {r['seconds']:>9.2f} {rate:>10.1f} {r['bulk']:>8.2f} {bulk_rate:>9.0f} "
            f"{r['seconds'] / r['bulk']:>10.1f}x {r['queries'] / size:>14.2f} "
            f"{r['index']:>8.2f} {size / (r['seconds'] + r['index']):>13.1f}"
        )
    print()
    for size, r in results.items():
        rate = size / r["seconds"]
        passed = rate >= TARGET_RATE
        ok &= passed
        print(
            f"{'PASS' if passed else 'FAIL'}  import of {size}: {rate:.1f} entries/s "
            f"(target >= {TARGET_RATE})"
        )
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    per_small, per_large = small["queries"] / sizes[0], large["queries"] / sizes[-1]
    passed = per_large <= per_small * QUERY_GROWTH
    ok &= passed
    print(
        f"{'PASS' if passed else 'FAIL'}  queries per entry: {per_small:.2f} at {sizes[0]}, "
        f"{per_large:.2f} at {sizes[-1]} (constant: at most +{(QUERY_GROWTH - 1) * 100:.0f} %)"
    )
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,1500", help="entries per import, comma separated")
    parser.add_argument("--db", default=None, help="SQLite file (default: a new temporary one)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="algoregister-bench-imports-") as directory:
        directory = Path(directory)
        database_url = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{args.db or directory / 'db.sqlite3'}"
        )
        log(f"database: {database_url.split('@')[-1]}")
        setup_django(database_url)
        from django.db import connection

        results = {}
        for size in sizes:
            log(f"import of {size} entries ...")
            results[size] = measure_import(size, directory)
            log(f"bulk insert of {size} entries ...")
            results[size]["bulk"] = measure_bulk(size)
        print(f"database: {connection.vendor}; import target >= {TARGET_RATE} entries/s")
        return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
