"""Benchmark the public pages of registers of 1,500 and 20,000 entries against a bare page.

    .venv/bin/python -m bench.pages [--entries 20000] [--small 1500] [--repeat 15]

Needs PostgreSQL (``DATABASE_URL``, e.g. from ``scripts/pg.sh start DIR``): production
runs on it, and search there is Wagtail's database backend with ``SEARCH_CONFIG
"dutch"`` (the example site's settings).

Fills two registers of the same site with generated entries (``bench.exports``' bulk
fill; the same registers, so one database serves both benchmarks), adds the entries to
the search index in bulk (the bulk fill writes no index rows; Wagtail's
``backend.add_bulk`` in chunks of 500 entries, their groupings prefetched, skipped
when the rows are there), and a bare ``home.ContentPage`` of the example site (a
title and a paragraph). Then it requests, through Django's test ``Client`` (the full
handler: middleware, Wagtail's routing, templates), for each register:

- the register page, plain;
- the register page with a search (``?q=zekerheid``: the theme "Sociale zekerheid",
  about a sixth of the entries, best match first);
- the register page with two filters (``?status=In gebruik&category=Wonen``);
- an entry page;

and the bare page, each ``--warmup`` times untimed and then ``--repeat`` times in
turns (one request of each URL per round, so that drift hits all alike); the result is
the median server time per URL. Targets:

- every register page (plain, search, filters) at most 2x the bare page, at 20,000 entries;
- the number of database queries of every request the same at 1,500 and 20,000 entries.

The register page keeps its counts and the ordered ids of the matches in Django's
cache under a version stamp of the register (``wagtail_algoregister.listing``), so the
numbers above are of a register that did not change since the previous request (the
common case: many visits, few publications). The first request after a change
rebuilds them: reported as "cold" (the cache cleared before each of ``--cold``
requests), without a target. The entry page's ratio is reported, without a target.

After a publication the worker warms that cache (``wagtail_algoregister.warmup``). The
benchmark publishes an entry of the large register as an editor does (a revision,
published; the example site's queue, django-tasks-db, so the warm-up waits in the
database), runs the worker (django-tasks-db's ``db_worker --batch``: every queued task,
then it returns), requests the register page and then the bare page: ``--publish`` times,
the median against the median of those bare pages (measured under the same load).
Target:

- the first request after a publish, once the worker ran, at most 2.5x the bare page at
  20,000 entries.

The worker runs in the benchmark's own process, so that it writes the same cache the
requests read (Django's default ``LocMemCache``, one per process), as a production
worker writes the Redis or Memcached its web processes read. The same without running
the worker (what a resident met before the warm-up) is reported beside it.

Prints a table with PASS/FAIL; exits 1 when a target is missed, 2 on an error.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from . import exports


TARGET_RATIO = 2.0
TARGET_AFTER_PUBLISH = 2.5
PUBLISHED = "algoritme-00007"  # the entry published again (not the entry page measured)
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SEARCH = "zekerheid"
FILTERS = "status=In+gebruik&category=Wonen"
HOSTNAME = exports.HOSTNAME
log = exports.log


def bare_page():
    """A plain ContentPage of the example site, next to the registers."""
    from home.models import ContentPage
    from wagtail.models import Page

    existing = ContentPage.objects.filter(slug="bench-bare").first()
    if existing:
        return existing
    home = Page.get_first_root_node().get_children().first().specific
    page = ContentPage(
        title="Over deze website",
        slug="bench-bare",
        intro="<p>" + " ".join(exports.SENTENCES[:4]) + "</p>",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def index_entries(register, chunk=500) -> float:
    """Add the register's entries to the search index in bulk, unless they are in it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from wagtail_algoregister import standard
    from wagtail_algoregister.models import AlgorithmPage

    entries = AlgorithmPage.objects.child_of(register)
    content_type = ContentType.objects.get_for_model(AlgorithmPage)
    ids = list(entries.values_list("pk", flat=True))
    indexed = IndexEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    ).count()
    if indexed >= len(ids):
        return 0.0
    started = time.perf_counter()
    backend = get_search_backend()
    groupings = [d.attribute for d in standard.grouping_fields()]
    with transaction.atomic():
        for start in range(0, len(ids), chunk):
            batch = list(
                AlgorithmPage.objects.filter(pk__in=ids[start : start + chunk])
                .select_related("locale")
                .prefetch_related(*groupings)
            )
            backend.add_bulk(AlgorithmPage, batch)
            log(f"  indexed {min(start + chunk, len(ids))} / {len(ids)} of {register.slug}")
    return time.perf_counter() - started


def urls(register, bare) -> dict[str, str]:
    from wagtail_algoregister.models import AlgorithmPage

    entry = AlgorithmPage.objects.child_of(register).get(slug="algoritme-00042")
    base = register.url
    return {
        "bare page": bare.url,
        "register": base,
        "register ?q": f"{base}?q={SEARCH}",
        "register 2 filters": f"{base}?{FILTERS}",
        "entry page": entry.url,
    }


def request(client, url):
    response = client.get(url, HTTP_HOST=HOSTNAME, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return response


def queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        request(client, url)
    return len(captured.captured_queries)


def measure(client, named_urls, repeat, warmup) -> dict[str, float]:
    """Median seconds per URL; the URLs are requested in turns."""
    for url in named_urls.values():
        for _ in range(warmup):
            request(client, url)
    times = {name: [] for name in named_urls}
    for _ in range(repeat):
        for name, url in named_urls.items():
            started = time.perf_counter()
            request(client, url)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items() if values}


def measure_cold(client, named_urls, repeat) -> dict[str, float]:
    """Median seconds of the register pages right after the cache was cleared."""
    from django.core.cache import cache

    times = {name: [] for name in named_urls if name.startswith("register")}
    for _ in range(repeat):
        for name in times:
            cache.clear()
            started = time.perf_counter()
            request(client, named_urls[name])
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items() if values}


def publish_entry(register):
    """Publish an entry of ``register`` again, as an editor does, on the database queue."""
    from django.test import override_settings

    from wagtail_algoregister.models import AlgorithmPage

    entry = AlgorithmPage.objects.child_of(register).get(slug=PUBLISHED)
    with override_settings(TASKS=QUEUE):
        entry.save_revision().publish()


def run_worker() -> float:
    """django-tasks-db's worker in this process until the queue is empty; its seconds."""
    import signal

    from django.core.management import call_command
    from django.test import override_settings

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    started = time.perf_counter()
    try:
        with override_settings(TASKS=QUEUE):
            call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for number, handler in handlers.items():  # the worker sets its own
            signal.signal(number, handler)
    return time.perf_counter() - started


def measure_after_publish(client, register, url, bare_url, rounds) -> dict[str, float]:
    """Median seconds of the register page's first request after a publication of one of
    its entries: once the worker ran (``warmed``), and without it (``not warmed``); of
    the bare page requested right after each (``bare``: the baseline, measured under the
    same load); and of the worker (``worker``)."""
    run_worker()  # nothing left in the queue from before

    def timed(address):
        started = time.perf_counter()
        request(client, address)
        return time.perf_counter() - started

    times = {"warmed": [], "not warmed": [], "bare": [], "worker": []}
    for _ in range(rounds):
        publish_entry(register)
        times["worker"].append(run_worker())
        times["warmed"].append(timed(url))
        times["bare"].append(timed(bare_url))

        publish_entry(register)
        times["not warmed"].append(timed(url))
        run_worker()  # its warm-up finds what the request cached
    return {name: statistics.median(values) for name, values in times.items()}


def report(results, counts, args, cold=None, after_publish=None) -> bool:
    sizes = (args.small, args.entries)
    names = list(results[args.entries])
    print()
    print(
        f"Pages through Django's test client on PostgreSQL (median of {args.repeat} "
        "requests after warm-up), milliseconds, ratio to the bare page, queries"
    )
    header = f"{'page':20}"
    for size in sizes:
        header += f" | {size:>6} entries: {'ms':>7} {'ratio':>6} {'queries':>7}"
    print(header)
    failed = False
    lines = []
    for name in names:
        line = f"{name:20}"
        for size in sizes:
            seconds, bare = results[size][name], results[size]["bare page"]
            line += f" | {'':15}{seconds * 1000:7.1f} {seconds / bare:6.2f} {counts[size][name]:7d}"
        print(line)
        if name == "bare page":
            continue
        big = results[args.entries][name] / results[args.entries]["bare page"]
        same = counts[args.small][name] == counts[args.entries][name]
        if name.startswith("register"):
            ok = big <= TARGET_RATIO
            failed |= not ok
            lines.append(
                f"{name}: {big:.2f}x the bare page at {args.entries} entries "
                f"({'<=' if ok else '>'} {TARGET_RATIO:g}) {'PASS' if ok else 'FAIL'}"
            )
        else:
            lines.append(f"{name}: {big:.2f}x the bare page at {args.entries} entries (no target)")
        failed |= not same
        lines.append(
            f"{name}: {counts[args.small][name]} queries at {args.small}, "
            f"{counts[args.entries][name]} at {args.entries} {'PASS' if same else 'FAIL'}"
        )
    if cold:
        print()
        print("cold (cache cleared first), ms:")
        for name in cold[args.entries]:
            print(
                f"  {name:20} "
                + "  ".join(
                    f"{size}: {cold[size][name] * 1000:7.1f} "
                    f"({cold[size][name] / results[size]['bare page']:.1f}x bare)"
                    for size in sizes
                )
            )
    if after_publish:
        bare = after_publish["bare"]
        warmed, not_warmed = after_publish["warmed"], after_publish["not warmed"]
        print()
        print(f"first request of the register page after a publish ({args.entries} entries), ms:")
        print(f"  {'after the warm-up':20} {warmed * 1000:7.1f} ({warmed / bare:.2f}x bare)")
        print(f"  {'no worker':20} {not_warmed * 1000:7.1f} ({not_warmed / bare:.1f}x bare)")
        print(f"  {'bare page':20} {bare * 1000:7.1f} (requested right after each)")
        print(f"  {'the worker':20} {after_publish['worker'] * 1000:7.1f} (every queued task)")
        ok = warmed / bare <= TARGET_AFTER_PUBLISH
        failed |= not ok
        lines.append(
            f"first request after a publish / bare page: {warmed / bare:.2f} at {args.entries} "
            f"entries ({'<=' if ok else '>'} {TARGET_AFTER_PUBLISH:g}) {'PASS' if ok else 'FAIL'}"
        )
    print()
    for line in lines:
        print(line)
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    print(f"note: load average {load:.1f} on {cpus} CPUs during the run")
    print("RESULT:", "FAIL" if failed else "PASS")
    return not failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20000, help="entries of the large register")
    parser.add_argument("--small", type=int, default=1500, help="entries of the small register")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per URL first")
    parser.add_argument("--cold", type=int, default=3, help="requests with the cache cleared")
    parser.add_argument("--publish", type=int, default=5, help="publications, each then a request")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("bench.pages needs DATABASE_URL of a PostgreSQL database", file=sys.stderr)
        return 2
    log(f"database: {database_url.split('@')[-1]}")
    exports.setup_django(database_url)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [HOSTNAME]
    bare = bare_page()
    registers = {}
    for count in sorted({args.small, args.entries}):
        register = exports.get_register(f"bench-{count}", f"Register met {count} algoritmes")
        seconds = exports.fill(register, count)
        log(f"filled {register.slug} in {seconds:.1f} s" if seconds else f"reusing {register.slug}")
        register.refresh_from_db()
        seconds = index_entries(register)
        if seconds:
            log(f"indexed {register.slug} in {seconds:.1f} s")
        registers[count] = register

    client = Client()
    results, counts = {}, {}
    for count, register in registers.items():
        named = urls(register, bare)
        measure(client, named, 0, args.warmup)  # warm-up only
        counts[count] = {name: queries(client, url) for name, url in named.items()}
    for count, register in registers.items():
        named = urls(register, bare)
        results[count] = measure(client, named, args.repeat, 1)
        log(
            f"{count}: "
            + ", ".join(
                f"{name} {seconds * 1000:.1f} ms" for name, seconds in results[count].items()
            )
        )
    cold = {
        count: measure_cold(client, urls(register, bare), args.cold)
        for count, register in registers.items()
    }
    big = registers[args.entries]
    after_publish = measure_after_publish(client, big, big.url, bare.url, args.publish)
    return 0 if report(results, counts, args, cold, after_publish) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        import traceback

        traceback.print_exc()
        sys.exit(2)
