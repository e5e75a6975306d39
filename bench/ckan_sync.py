"""Benchmark the CKAN sync against a real local CKAN 2.12, in one run.

    .venv/bin/python -m bench.ckan_sync [--entries 1000] [--rounds 1] [--profile]

Starts its own PostgreSQL (scripts/pg.sh) for Django and a plain CKAN
(tests/real_ckan, the same code as the test fixtures), creates a register with
``--entries`` published entries, and measures:

a. ``bare_create``: a bare loop of ckanapi ``package_create`` calls with exactly the
   payloads our profile builds (built before the clock starts), into the organisation;
   run before and after the sync (then purged) and averaged, to cancel drift;
b. ``full_sync``: our first ``CkanExporter(...).run()`` into the empty organisation;
c. ``second_sync``: a second ``run()`` with nothing changed, counting write calls.

Targets: full_sync / bare_create <= 1.15, second_sync / full_sync <= 0.05, and no
write call in the second sync. Exits 1 when a target is missed, 2 on an error.
Everything it starts is stopped at the end, also after an error or Ctrl-C; if the
process is killed, watchdogs stop CKAN and PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.15
TARGET_SECOND = 0.05
CATEGORIES = ["Sociale zekerheid", "Zorg en gezondheid", "Verkeer", "Wonen", "Werk"]


STARTED = time.monotonic()


def log(message):
    print(f"[bench +{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


# -- processes -----------------------------------------------------------------


def start_postgres(stack: contextlib.ExitStack) -> str:
    folder = tempfile.mkdtemp(prefix="algoregister-pg.", dir="/tmp")
    script = str(REPO / "scripts/pg.sh")
    env = {**os.environ, "PG_PURGE": "1"}
    stack.callback(
        lambda: subprocess.run(["bash", script, "stop", folder], env=env, timeout=120, check=False)  # noqa: S603, S607
    )
    done = subprocess.run(  # noqa: S603
        ["bash", script, "start", folder],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"scripts/pg.sh start failed:\n{done.stderr[-2000:]}")
    # A watchdog stops the cluster if this process is killed before its own cleanup.
    watchdog = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "bash",
            "-c",
            'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; PG_PURGE=1 bash "$2" stop "$3"',
            "_",
            str(os.getpid()),
            script,
            folder,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stack.callback(_end, watchdog)
    return done.stdout.strip().splitlines()[-1]


def _end(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def start_ckan(stack: contextlib.ExitStack):
    from tests.real_ckan import fixtures

    home = Path(tempfile.mkdtemp(prefix="algoregister-ckan-plain.", dir="/tmp"))
    stack.callback(fixtures._stop, home, purge=os.environ.get("CKAN_KEEP") != "1")
    try:
        return fixtures._start("plain", home)  # watchdog on our pid (CKAN_WATCH_PID)
    except BaseException as e:  # pytest.fail() raises an OutcomeException
        if type(e).__name__ == "Failed":
            raise RuntimeError(str(e)) from None
        raise


def setup_django(database_url: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log (tests.settings inherits DEBUG from the example site)
    # Wagtail's search and reference indexing would run inline (tests.settings): not needed
    # here, and they triple the time it takes to create the entries.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    call_command("migrate", verbosity=0, interactive=False)


# -- content -------------------------------------------------------------------


def make_register():
    from wagtail.models import Page, Site

    from wagtail_algoregister.models import AlgorithmRegisterPage

    home = Page.get_first_root_node().get_children().first().specific
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "algoritmes.noorderhaaks.example", 443
    site.save()
    register = AlgorithmRegisterPage(
        title="Algoritmeregister",
        slug="algoritmeregister",
        organisation_name="Gemeente Noorderhaaks",
        organisation_code="gm0344",
        default_contact_email="algoritmes@noorderhaaks.example",
    )
    home.add_child(instance=register)
    register.save_revision().publish()
    return register


def make_entries(register, count: int):
    """``count`` published entries, each through add_child + a published revision."""
    from django.db import transaction

    from tests.conftest import make_entry

    started = time.perf_counter()
    with transaction.atomic():
        for i in range(count):
            make_entry(
                register,
                slug=f"algoritme-{i:04d}",
                source_id=f"noorderhaaks-{i:04d}",
                name=f"Algoritme {i:04d} voor {CATEGORIES[i % len(CATEGORIES)].lower()}",
                description_short=f"Een algoritme (nummer {i}) dat de gemeente helpt bij haar werk.",
                category=[CATEGORIES[i % len(CATEGORIES)]],
            )
            if (i + 1) % 250 == 0:
                log(f"  {i + 1} entries ({time.perf_counter() - started:.0f} s)")
    return time.perf_counter() - started


# -- measurements --------------------------------------------------------------


def build_payloads(syncer):
    """(name, body) per wanted entry, exactly as the sync sends them to package_create."""
    from ckan_export.names import dataset_name
    from wagtail_algoregister.formats.context import context_for

    payloads = []
    for page, _register in syncer.wanted_pages().values():
        context = context_for(page)
        payload = syncer.profile.build(context, syncer.portal)
        payloads.append((dataset_name(context, syncer.portal), syncer._send(payload)))
    return payloads


def bare_create(ckan, payloads, timeout) -> float:
    import ckanapi
    import requests

    remote = ckanapi.RemoteCKAN(
        ckan.url, apikey=ckan.editor_token, user_agent="bench", session=requests.Session()
    )
    started = time.perf_counter()
    for name, body in payloads:
        remote.call_action(
            "package_create", {"name": name, **body}, requests_kwargs={"timeout": timeout}
        )
    elapsed = time.perf_counter() - started
    remote.close()
    return elapsed


def reset(ckan):
    """An empty organisation and no export records: the state before a first sync."""
    from wagtail_algoregister.models import SyncRecord

    started = time.perf_counter()
    ids = [
        i
        for (i,) in ckan.sql(
            "SELECT id FROM package WHERE owner_org = :'org'", org=ckan.organization_id
        )
    ]

    def purge(chunk):
        with ckan.sysadmin() as remote:
            for package_id in chunk:
                remote.action.dataset_purge(id=package_id)

    with ThreadPoolExecutor(4) as pool:  # not measured: faster than one by one
        list(pool.map(purge, [ids[i::4] for i in range(4)]))
    purged = len(ids)
    SyncRecord.objects.all().delete()
    log(f"  purged {purged} datasets ({time.perf_counter() - started:.0f} s)")


def timed_sync(options):
    from ckan_export.exporter import CkanExporter

    syncer = CkanExporter("bench", options)
    started = time.perf_counter()
    counts, outcomes = syncer.run()
    elapsed = time.perf_counter() - started
    failed = [o for o in outcomes if o.action == "failed"]
    if failed:
        raise RuntimeError(f"{len(failed)} failed; first: {failed[0].entry}: {failed[0].message}")
    return elapsed, counts, Counter(syncer.client.calls)


def profiled_sync(options):
    """A first sync (of an empty organisation) with its time split up: waiting for the
    portal per action, database queries per kind, and the rest (our Python)."""
    from django.db import connection

    from ckan_export.exporter import CkanExporter

    syncer = CkanExporter("bench", options)
    waited, queries, query_time = Counter(), Counter(), [0.0]
    call_action = syncer.client.remote.call_action

    def timed_call_action(action, *args, **kwargs):
        started = time.perf_counter()
        try:
            return call_action(action, *args, **kwargs)
        finally:
            waited[action] += time.perf_counter() - started

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            query_time[0] += time.perf_counter() - started
            words = sql.split()
            table = words[words.index("FROM") + 1] if "FROM" in words else ""
            queries[f"{words[0]} {table.strip(chr(34))}".strip()] += 1

    syncer.client.remote.call_action = timed_call_action
    with connection.execute_wrapper(timed_query):
        started = time.perf_counter()
        counts, _outcomes = syncer.run()
        elapsed = time.perf_counter() - started
    check(counts["failed"] == 0, f"profiled sync: {dict(counts)}")
    return elapsed, waited, queries, query_time[0]


# -- main ----------------------------------------------------------------------


def check(condition, message):
    if not condition:
        raise RuntimeError(message)


def main(argv=None) -> int:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="bare/sync pairs (each adds a bare run)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="one more full sync, timed by part: portal calls, database queries, the rest",
    )
    args = parser.parse_args(argv)
    for path in (str(REPO / "example_site"), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    if not 1 <= args.entries <= 1000:
        parser.error("--entries: 1 to 1000 (one package_search page holds 1000)")

    def interrupted(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    with contextlib.ExitStack() as stack:
        log("starting PostgreSQL and a plain CKAN 2.12")
        database_url = start_postgres(stack)
        ckan = start_ckan(stack)
        log(f"CKAN {ckan.ckan_version} at {ckan.url}")
        setup_django(database_url)

        from ckan_export.client import WRITE_ACTIONS as WRITES
        from ckan_export.exporter import CkanExporter

        timeout = 60
        options = ckan.portal_settings(RATE_LIMIT=0, TIMEOUT=timeout)
        register = make_register()
        log(f"creating {args.entries} entries")
        made = make_entries(register, args.entries)
        log(f"  done in {made:.1f} s ({made / args.entries * 1000:.0f} ms per entry)")

        payloads = build_payloads(CkanExporter("bench", options))
        check(len(payloads) == args.entries, f"{len(payloads)} payloads")

        bare, full, second, writes = [], [], [], []
        second_calls = Counter()
        for number in range(1, args.rounds + 1):
            log(f"round {number}: bare package_create loop")
            bare.append(bare_create(ckan, payloads, timeout))
            reset(ckan)
            log(f"round {number}: full sync")
            elapsed, counts, calls = timed_sync(options)
            check(counts["created"] == args.entries, f"full sync: {dict(counts)}")
            full.append(elapsed)
            full_calls = calls
            log(f"round {number}: second sync")
            elapsed, counts, calls = timed_sync(options)
            check(counts["unchanged"] == args.entries, f"second sync: {dict(counts)}")
            second.append(elapsed)
            second_calls = calls
            writes.append(sum(n for action, n in calls.items() if action in WRITES))
            reset(ckan)
        log("bare package_create loop (closing bracket)")
        bare.append(bare_create(ckan, payloads, timeout))
        reset(ckan)

        if args.profile:
            log("profiled full sync")
            elapsed, waited, queries, database = profiled_sync(options)
            reset(ckan)

        bare_mean, full_mean = statistics.mean(bare), statistics.mean(full)
        second_mean = statistics.mean(second)
        ratio, second_ratio = full_mean / bare_mean, second_mean / full_mean
        n = args.entries
        print()
        print(f"CKAN sync benchmark: {n} entries, CKAN {ckan.ckan_version} (plain), RATE_LIMIT 0")
        print(f"{'measurement':<28}{'runs (s)':<28}{'mean (s)':>10}{'ms/entry':>10}")
        for label, values in (
            ("bare package_create loop", bare),
            ("full first sync", full),
            ("second sync (no changes)", second),
        ):
            mean = statistics.mean(values)
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(f"{label:<28}{runs:<28}{mean:>10.2f}{mean / n * 1000:>10.1f}")
        print(
            "calls in the full sync:     "
            + ", ".join(f"{a}={c}" for a, c in sorted(full_calls.items()))
        )
        print(
            "calls in the second sync:   "
            + ", ".join(f"{a}={c}" for a, c in sorted(second_calls.items()))
        )
        if args.profile:
            per = 1000 / n
            print(f"profile of one more full sync: {elapsed * per:.1f} ms per entry, of which")
            for action, seconds in waited.most_common():
                print(f"    {seconds * per:6.1f} ms  waiting for {action}")
            total = sum(queries.values())
            print(f"    {database * per:6.1f} ms  in {total / n:.1f} database queries")
            rest = elapsed - sum(waited.values()) - database
            print(f"    {rest * per:6.1f} ms  the rest (ORM, building payloads, hashing)")
            print("  database queries per entry, by kind:")
            for name, count in queries.most_common(20):
                print(f"    {count / n:6.2f}  {name}")
        results = [
            ("full_sync/bare_create", f"{ratio:.3f}", f"<= {TARGET_RATIO}", ratio <= TARGET_RATIO),
            (
                "second_sync/full_sync",
                f"{second_ratio:.4f}",
                f"<= {TARGET_SECOND}",
                second_ratio <= TARGET_SECOND,
            ),
            ("writes_in_second_sync", str(max(writes)), "== 0", max(writes) == 0),
        ]
        print()
        for label, value, target, ok in results:
            print(f"{label:<24}{value:>10}   target {target:<8} {'PASS' if ok else 'FAIL'}")
        return 0 if all(ok for *_rest, ok in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted; everything started was stopped")
        sys.exit(130)
    except RuntimeError as e:
        log(f"error: {e}")
        sys.exit(2)
