"""Benchmark the downloads (CSV, JSON, XLSX) and the DCAT catalogue (Turtle, JSON-LD,
RDF/XML) of registers of 1,500 and 20,000 entries.

    .venv/bin/python -m bench.exports [--entries 20000] [--small 1500] [--repeat 3]
                                      [--formats csv,json,xlsx,ttl,jsonld,rdf]
                                      [--catalog-page-size 100] [--db PATH] [--fresh]

Fills two registers with generated, realistic entries (every key of the standard, rich
text with paragraphs and lists, one to three links per grouping), then downloads each
register in each format through the real view (``register_export`` with a request, the
whole response consumed) and measures:

- throughput: entries per second, the median of ``--repeat`` runs on the large register
  (target: more than 2,000 entries/s per format);
- memory: the growth of the process's peak resident memory during one download (Linux
  ``VmHWM``, reset before each download through ``/proc/self/clear_refs``), and the peak
  of Python allocations (``tracemalloc``, in a separate, untimed run), on both registers
  (target: under 50 MB; about equal for both sizes, since the downloads stream);
- database queries per download on both registers (they grow with the number of
  chunks of 500 entries, never per entry).

The catalogue formats (``ttl``, ``jsonld``, ``rdf``) are "downloaded" the way a
harvester reads them: every page of ``catalog.<fmt>`` through the real view
(``catalog_view``, with ``CATALOG_PAGE_SIZE`` from ``--catalog-page-size``, the
default setting 100), following the ``next`` link of each response (its ``Link``
header) until there is none. Throughput is all entries over the time of the whole walk;
memory is the peak during the walk (each page is built completely in memory, so the
peak is one page's worth); queries are the total of the walk (a constant per page).

Prints a table with PASS/FAIL per target; exits 1 when a target is missed.

The database: SQLite in ``$TMPDIR/algoregister-bench-exports/db.sqlite3`` by default,
kept between runs (``--fresh`` starts over; ``--db`` picks another file), or
``DATABASE_URL`` (e.g. a cluster from ``scripts/pg.sh start``). Entries are created in
bulk, not through ``add_child`` (which takes minutes for 20,000): page rows with
treebeard paths computed like ``add_child`` computes them (``Page._get_path``, the
parent's ``numchild`` updated, checked with ``Page.find_problems()``), the
``AlgorithmPage`` rows and the grouping rows in batches. Such entries are live and
have a ``last_published_at``, but no revisions and no search-index rows: enough for the
downloads, which read only the page rows (a live page's row is its published version).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent
DOWNLOADS = ("csv", "json", "xlsx")
CATALOG = ("ttl", "jsonld", "rdf")  # catalog.<fmt>, walked page by page
FORMATS = DOWNLOADS + CATALOG
UNTARGETED = {"xlsx"}  # measured and reported; the issue sets targets for CSV, JSON and DCAT
TARGET_RATE = 2000  # entries per second
TARGET_MEMORY_MB = 50
HOSTNAME = "algoritmes.noorderhaaks.example"
BATCH = 1000

STARTED = time.monotonic()


def log(message):
    print(f"[bench +{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def setup_django(database_url: str):
    for path in (str(REPO), str(REPO / "example_site")):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log
    call_command("migrate", verbosity=0, interactive=False)


# -- content -------------------------------------------------------------------

SENTENCES = [
    "De gemeente gebruikt dit algoritme om aanvragen sneller te behandelen.",
    "Een medewerker controleert elke uitkomst voordat er een besluit wordt genomen.",
    "Het algoritme gebruikt alleen gegevens die de gemeente al heeft.",
    "Inwoners kunnen bezwaar maken tegen een besluit, zoals bij elk ander besluit.",
    "We controleren elk half jaar of het algoritme nog goed en eerlijk werkt.",
    "Er is gekeken naar alternatieven zonder algoritme; die kosten veel meer tijd.",
    "Persoonsgegevens worden na afloop van de termijn verwijderd.",
    "Het model leert niet zelf bij: het volgt vaste regels die de gemeente heeft opgesteld.",
]


def _rich_text(rng, paragraphs):
    parts = [f"<p>{' '.join(rng.sample(SENTENCES, 3))}</p>" for _ in range(paragraphs)]
    if rng.random() < 0.5:
        parts.append("<ul>" + "".join(f"<li>{s}</li>" for s in rng.sample(SENTENCES, 3)) + "</ul>")
    return "".join(parts)


def _links(rng, title, host, count):
    return [{"title": f"{title} {k + 1}", "link": f"https://{host}/{k + 1}"} for k in range(count)]


def generated_entry(number: int) -> dict:
    """One entry in the national format, varied but deterministic."""
    from wagtail_algoregister import standard

    rng = random.Random(number)  # noqa: S311 (test content, not secrets)
    themes = list(standard.get("category").permitted_values)
    return {
        "name": f"Algoritme {number:05d}: aanvragen sorteren",
        "description_short": f"Algoritme nummer {number} sorteert aanvragen, zodat een medewerker "
        "de dringendste eerst behandelt.",
        "organization": "Gemeente Noorderhaaks",
        "category": sorted(rng.sample(themes, rng.randint(1, 3)), key=themes.index),
        "status": rng.choice(standard.get("status").permitted_values),
        "begin_date": f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}",
        "end_date": "",
        "contact_email": "algoritmes@noorderhaaks.example",
        "website": f"https://www.noorderhaaks.example/algoritmes/{number}",
        "publication_category": rng.choice(standard.get("publication_category").permitted_values),
        "url": "",
        "goal": _rich_text(rng, 2),
        "proportionality": _rich_text(rng, 2),
        "human_intervention": _rich_text(rng, 1),
        "risks": _rich_text(rng, 2),
        "lawful_basis": _rich_text(rng, 1),
        "lawful_basis_grouping": _links(rng, "Wet", "wetten.overheid.nl/BWBR00", rng.randint(1, 3)),
        "process_index_url": "https://www.noorderhaaks.example/verwerkingsregister",
        "impacttoetsen_grouping": _links(
            rng,
            "Data Protection Impact Assessment (DPIA)",
            "noorderhaaks.example/dpia",
            rng.randint(1, 2),
        ),
        "impacttoetsen": _rich_text(rng, 1),
        "source_data": _rich_text(rng, 1),
        "source_data_grouping": _links(
            rng, "Gegevensbron", "data.noorderhaaks.example", rng.randint(1, 3)
        ),
        "methods_and_models": _rich_text(rng, 3),
        "provider": "Intern ontwikkeld",
        "publiccode": "",
        "lang": "nld",
        "standard_version": "1.0",
        "source_id": f"noorderhaaks-{number:05d}",
        "tags": "aanvragen, sorteren, voorrang",
    }


def get_register(slug: str, title: str):
    from wagtail.models import Page, Site

    from wagtail_algoregister.models import AlgorithmRegisterPage

    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (HOSTNAME, 443):
        site.hostname, site.port = HOSTNAME, 443
        site.save()
    existing = AlgorithmRegisterPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    home = Page.get_first_root_node().get_children().first().specific
    register = AlgorithmRegisterPage(
        title=title,
        slug=slug,
        organisation_name="Gemeente Noorderhaaks",
        default_contact_email="algoritmes@noorderhaaks.example",
    )
    home.add_child(instance=register)
    register.save_revision().publish()
    return register


def fill(register, count: int) -> float:
    """Add generated, live entries under ``register`` until it has ``count``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from wagtail_algoregister import models as m
    from wagtail_algoregister.formats.national import national_to_fields

    link_models = {
        "lawful_basis_grouping": m.LawfulBasisLink,
        "impacttoetsen_grouping": m.ImpactAssessment,
        "source_data_grouping": m.SourceDataLink,
    }
    have = m.AlgorithmPage.objects.child_of(register).count()
    if have >= count:
        return 0.0
    started = time.perf_counter()
    content_type = ContentType.objects.get_for_model(m.AlgorithmPage)
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    own_fields = m.AlgorithmPage._meta.local_concrete_fields
    with transaction.atomic():
        register = Page.objects.select_for_update().get(pk=register.pk)
        last = register.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        for start in range(have, count, BATCH):
            now = timezone.now()
            entries, links = [], {key: [] for key in link_models}
            for number in range(start, min(start + BATCH, count)):
                step += 1
                attributes, groupings = national_to_fields(generated_entry(number))
                slug = f"algoritme-{number:05d}"
                entry = m.AlgorithmPage(
                    path=Page._get_path(register.path, register.depth + 1, step),
                    depth=register.depth + 1,
                    numchild=0,
                    slug=slug,
                    url_path=f"{register.url_path}{slug}/",
                    draft_title=attributes["title"],
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    content_type=content_type,
                    locale_id=register.locale_id,
                    **attributes,
                )
                entries.append((entry, groupings))
            bases = Page.objects.bulk_create(
                [
                    Page(**{f.attname: getattr(e, f.attname) for f in page_fields})
                    for e, _g in entries
                ]
            )
            for (entry, groupings), base in zip(entries, bases, strict=True):
                entry.id = entry.page_ptr_id = base.pk
                for key, rows in groupings.items():
                    links[key] += [
                        link_models[key](page_id=base.pk, sort_order=k, **row)
                        for k, row in enumerate(rows)
                    ]
            # Django's bulk_create refuses multi-table models: insert the child rows directly.
            m.AlgorithmPage.objects.all()._batched_insert(
                [e for e, _g in entries], own_fields, BATCH
            )
            for key, rows in links.items():
                link_models[key].objects.bulk_create(rows, batch_size=BATCH)
            log(f"  {register.title}: {min(start + BATCH, count)} / {count} entries")
        Page.objects.filter(pk=register.pk).update(numchild=register.numchild + count - have)
    problems = [p for p in Page.find_problems() if p]
    if problems:
        raise RuntimeError(f"treebeard reports problems after the bulk fill: {problems}")
    return time.perf_counter() - started


# -- measurements --------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def fetch(register, fmt) -> int:
    """One download (or one walk through every catalogue page) through the view; bytes."""
    from django.test import RequestFactory

    if fmt in CATALOG:
        from wagtail_algoregister.views.catalog import catalog_view

        factory, size, url, pages = RequestFactory(), 0, f"{register.url}catalog.{fmt}", 0
        while url:
            response = catalog_view(factory.get(url, HTTP_HOST=HOSTNAME), register, fmt)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            size += len(response.content)
            pages += 1
            url = next_link(response)
        return size

    from wagtail_algoregister.views.exports import register_export

    request = RequestFactory().get(f"{register.url}export.{fmt}", HTTP_HOST=HOSTNAME)
    response = register_export(request, register, fmt)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    return size


def next_link(response) -> str | None:
    """The path and query of the ``rel="next"`` link of a catalogue page, if any."""
    from urllib.parse import urlsplit

    for part in response.get("Link", "").split(","):
        if part.strip().endswith('rel="next"'):
            url = urlsplit(part.strip().split(">")[0].lstrip("<"))
            return f"{url.path}?{url.query}"
    return None


def download(register, fmt) -> dict:
    """Download one register in one format through the view, consuming the whole response."""
    import gc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    connection.queries_log.clear()  # a full log (9,000 queries) would count none
    can_reset = _reset_peak()
    rss_before = _status_kb("VmRSS")
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        size = fetch(register, fmt)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "seconds": seconds,
        "cpu": cpu,
        "bytes": size,
        "queries": len(queries.captured_queries),
        "rss": (_status_kb("VmHWM") - rss_before) / 1024 if can_reset else float("nan"),
    }


def python_peak(register, fmt) -> float:
    """Peak of Python allocations (MB) during one download, above what was allocated before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fetch(register, fmt)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - before) / 1024 / 1024


def measure(register, count, fmt, repeat) -> dict:
    runs = [download(register, fmt) for _ in range(repeat)]
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    result = {
        "seconds": seconds,
        "rate": count / seconds,
        "cpu_rate": count / cpu if cpu else float("inf"),
        "mb": runs[0]["bytes"] / 1024 / 1024,
        "queries": runs[0]["queries"],
        "rss": max(r["rss"] for r in runs),
        "python": python_peak(register, fmt),
    }
    result["memory"] = max(result["rss"], result["python"])
    log(
        f"{fmt} {count}: {seconds:.2f} s, {result['rate']:.0f}/s "
        f"({result['cpu_rate']:.0f}/s of CPU time), memory +{result['memory']:.1f} MB"
    )
    return result


def report(results, args, vendor) -> bool:
    big_n, small_n = args.entries, args.small
    print()
    print(
        f"Downloads through the view on {vendor}: {big_n} entries (median of {args.repeat} runs) "
        f"and {small_n} entries; catalogue (ttl, jsonld, rdf): every page, "
        f"{args.catalog_page_size} entries a page"
    )
    print(
        f"{'format':6} {'entries/s':>9} {'CPU e/s':>8} {'seconds':>8} {'MB':>6} {'RSS+ MB':>8} "
        f"{'py peak MB':>10} {'queries':>8} | at {small_n}: {'RSS+ MB':>7} {'py peak MB':>10} {'queries':>7}"
    )
    failed = False
    for fmt in results:
        big, small = results[fmt][big_n], results[fmt][small_n]
        print(
            f"{fmt:6} {big['rate']:9.0f} {big['cpu_rate']:8.0f} {big['seconds']:8.2f} {big['mb']:6.1f} "
            f"{big['rss']:8.1f} {big['python']:10.1f} {big['queries']:8d} | "
            f"{'':>{len(str(small_n)) + 4}}{small['rss']:7.1f} {small['python']:10.1f} {small['queries']:7d}"
        )
    print()
    for fmt in results:
        big, small = results[fmt][big_n], results[fmt][small_n]
        rate_ok = big["rate"] > TARGET_RATE
        memory_ok = big["memory"] < TARGET_MEMORY_MB
        if fmt in UNTARGETED:
            print(
                f"{fmt:6} {big['rate']:.0f} entries/s, memory growth {big['memory']:.1f} MB "
                "(not among the targets)"
            )
            continue
        failed |= not (rate_ok and memory_ok)
        print(
            f"{fmt:6} throughput {big['rate'] / TARGET_RATE:5.2f}x the target ({big['rate']:.0f} "
            f"{'>' if rate_ok else '<='} {TARGET_RATE} entries/s) {'PASS' if rate_ok else 'FAIL'}; "
            f"memory growth {big['memory'] / TARGET_MEMORY_MB:4.2f}x the limit ({big['memory']:.1f} "
            f"{'<' if memory_ok else '>='} {TARGET_MEMORY_MB} MB; {small['memory']:.1f} MB at {small_n}, ratio "
            f"{big['memory'] / small['memory'] if small['memory'] else float('nan'):.2f}) "
            f"{'PASS' if memory_ok else 'FAIL'}"
        )
    if any(r[big_n]["rate"] < 0.8 * r[big_n]["cpu_rate"] for r in results.values()):
        load, cpus = os.getloadavg()[0], os.cpu_count() or 1
        print(
            f"note: wall-clock rates are well below the CPU-time rates (load average {load:.1f} "
            f"on {cpus} CPUs): the machine was busy, or the database server (on PostgreSQL) "
            "took its share. CPU e/s shows what this process does on an idle core."
        )
    print("RESULT:", "FAIL" if failed else "PASS")
    return not failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20000, help="entries of the large register")
    parser.add_argument("--small", type=int, default=1500, help="entries of the small register")
    parser.add_argument("--repeat", type=int, default=3, help="timed downloads per format")
    parser.add_argument("--db", default=None, help="SQLite file (kept between runs)")
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help="comma-separated, default: csv,json,xlsx,ttl,jsonld,rdf",
    )
    parser.add_argument(
        "--catalog-page-size",
        type=int,
        default=100,
        help="CATALOG_PAGE_SIZE while walking the catalogue (default 100, at most 1000)",
    )
    args = parser.parse_args(argv)
    args.formats = [f for f in args.formats.split(",") if f]
    if not args.formats or set(args.formats) - set(FORMATS):
        parser.error(f"--formats: choose from {', '.join(FORMATS)}")

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        db = Path(
            args.db or Path(tempfile.gettempdir()) / "algoregister-bench-exports" / "db.sqlite3"
        )
        db.parent.mkdir(parents=True, exist_ok=True)
        if args.fresh and db.exists():
            db.unlink()
        database_url = f"sqlite:///{db}"
    log(f"database: {database_url.split('@')[-1]}")
    setup_django(database_url)
    from django.conf import settings
    from django.db import connection

    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "CATALOG_PAGE_SIZE": args.catalog_page_size,
    }

    registers = {}
    for count in sorted({args.small, args.entries}):
        register = get_register(f"bench-{count}", f"Register met {count} algoritmes")
        seconds = fill(register, count)
        log(f"filled {register.slug} in {seconds:.1f} s" if seconds else f"reusing {register.slug}")
        register.refresh_from_db()
        registers[count] = register

    results = {}
    for fmt in args.formats:
        download(registers[args.small], fmt)  # warm up (imports, the site cache)
        results[fmt] = {
            count: measure(register, count, fmt, args.repeat if count == args.entries else 1)
            for count, register in registers.items()
        }
    return 0 if report(results, args, connection.vendor) else 1


if __name__ == "__main__":
    sys.exit(main())
