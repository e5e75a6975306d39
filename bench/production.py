"""A production-like run: does the register hold under load while an import publishes?

    .venv/bin/python -m bench.production [--clients 50] [--seconds 60] [--import-size 500]
        [--preload 1000] [--web-workers 3] [--threads 4] [--task-workers 2] [--think 3.0]

What runs (the setup of the README's "Running in production", on this machine):

- PostgreSQL: a private cluster (``scripts/pg.sh``), or ``DATABASE_URL`` when it is set;
- the example site with ``DEBUG`` off under gunicorn (``--web-workers`` processes of
  ``--threads`` threads each, ``gthread``: HTTP keep-alive), persistent database
  connections (``DJANGO_CONN_MAX_AGE=60``), the shared cache in the database
  (``DJANGO_CACHE=database``: the register page's listing cache is shared by every
  process);
- ``--task-workers`` task workers (``manage.py db_worker``, django-tasks-db), at a lower
  CPU priority (``nice``), like the import: background work yields to requests;
- the demo content and ``--preload`` published entries (imported before the clock starts).

Then ``--clients`` clients, each with its own keep-alive connection, request for
``--seconds`` seconds the register page, searches (with and without a filter), entry
pages and pages of the DCAT catalogue, each waiting a random 0 to 2x ``--think``
seconds between requests (people reading; without waiting, 50 clients on two cores
measure only the length of the queue). Five seconds in, ``algoregister_import
--publish`` publishes ``--import-size`` new entries into the same register.

Reported: requests, errors, p50/p95/p99 latency per kind of URL, the register page's
median unloaded (measured first, in the same run), the import's time. When the task
queue has drained: every published entry is reachable (its page answers 200 with its
title), searchable (the API's search finds each new entry by its number) and in the
catalogue (the walk along the ``next`` links lists exactly the published entries).

Targets (exit status 1 when one is missed): no errors; the register page's p95 under
load below 5x its unloaded median; every check above. The exporters' invariant (issue
13, item 1: every portal holds exactly the published entries) plugs in at
:data:`EXPORTER_CHECKS`.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit


ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "example_site"
PY = sys.executable

TARGET_RATIO = 5.0  # register page: p95 under load / median unloaded
IMPORT_DELAY = 5.0  # seconds into the load when the import starts
BACKGROUND_NICENESS = 10  # task workers and the import yield the CPU to requests
QUEUE_TIMEOUT = 900  # seconds to wait for the task queue to drain
WEIGHTS = {"register": 3, "search": 3, "entry": 4, "catalogue": 2}
GENERATED = re.compile(r"Algoritme \d{5}: ")  # the names of bench.exports.generated_entry
SEARCH_WORDS = ["aanvragen", "sorteren", "Verkeer", "schulden", "medewerker", "Wonen", "zorg"]

# Checks of the exporters' invariant (issue 13, item 1), run after the queue has drained:
# each is called with the Run and returns a list of problems (empty: holds). The CKAN
# and national-register check is added by that work; this run configures no exporter.
EXPORTER_CHECKS: list = []


def log(*parts):
    print(*parts, flush=True)


# -- the site -----------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    work: Path
    env: dict
    port: int = 0
    processes: list = field(default_factory=list)
    register_id: int = 0
    register_path: str = ""
    entry_paths: list = field(default_factory=list)
    catalogue_pages: int = 1

    def manage(self, *command, check=True, **kwargs):
        return subprocess.run(  # noqa: S603 (our own commands)
            [PY, "manage.py", *command], cwd=SITE, env=self.env, check=check, **kwargs
        )

    def start(self, name, command, *, background=False):
        """Start ``command`` in the site's folder; ``background`` (task workers, the import)
        runs at a lower CPU priority, so that on a small machine requests go first."""
        if background:
            command = ["nice", "-n", str(BACKGROUND_NICENESS), *command]
        logfile = open(self.work / f"{name}.log", "w")  # closed in stop()
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, cwd=SITE, env=self.env, stdout=logfile, stderr=subprocess.STDOUT
        )
        self.processes.append((name, process, logfile))
        return process

    def pid(self, name) -> int:
        return next(process.pid for n, process, _log in self.processes if n == name)

    def stop(self):
        for _name, process, _logfile in self.processes:
            if process.poll() is None:
                process.terminate()
        for _name, process, logfile in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            logfile.close()


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children, living and ended (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(pid, with_ended_children):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0, []
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if with_ended_children:
            used += int(fields[13]) + int(fields[14])  # cutime, cstime: children waited for
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return used / ticks, [int(child) for child in children]

    total, children = own(pid, True)
    for child in children:
        total += own(child, False)[0]
    return total


def postgres_pid(work: Path) -> int | None:
    try:
        return int((work / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def start_postgres(work: Path) -> str:
    directory = work / "pg"
    result = subprocess.run(  # noqa: S603
        ["bash", "scripts/pg.sh", "start", str(directory)],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def stop_postgres(work: Path):
    subprocess.run(  # noqa: S603
        ["bash", "scripts/pg.sh", "stop", str(work / "pg")],  # noqa: S607
        cwd=ROOT,
        env={**os.environ, "PG_PURGE": "1"},
        capture_output=True,
    )


def setup_django(env):
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "DJANGO_SECRET_KEY")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings"
    os.environ.setdefault("DJANGO_CACHE", "database")
    sys.path.insert(0, str(SITE))
    import django

    django.setup()


def write_entries(path: Path, numbers) -> Path:
    from bench.exports import generated_entry

    path.write_text(json.dumps([generated_entry(n) for n in numbers], ensure_ascii=False), "utf-8")
    return path


def queue_state():
    """Tasks waiting or running, and tasks failed (django-tasks-db)."""
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    close_old_connections()
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    return waiting, failed


def wait_for_queue(timeout=QUEUE_TIMEOUT) -> float:
    started = time.monotonic()
    while True:
        waiting, _failed = queue_state()
        if not waiting:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the task queue did not drain in {timeout} s ({waiting} left)")
        time.sleep(0.5)


def prepare(run: Run):
    args = run.args
    log("migrate, cache table, demo content ...")
    run.manage("migrate", "--noinput", stdout=subprocess.DEVNULL)
    run.manage("createcachetable")
    run.manage("load_demo_content", stdout=subprocess.DEVNULL)
    setup_django(run.env)
    from wagtail_algoregister.models import AlgorithmRegisterPage

    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    run.register_id, run.register_path = register.pk, register.url
    for number in range(args.task_workers):
        run.start(
            f"db_worker-{number}",
            [PY, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"],
            background=True,
        )
    if args.preload:
        log(f"preload: importing and publishing {args.preload} entries ...")
        path = write_entries(run.work / "preload.json", range(args.preload))
        started = time.monotonic()
        run.manage(
            "algoregister_import",
            str(path),
            "--register",
            str(run.register_id),
            "--publish",
            stdout=subprocess.DEVNULL,
        )
        log(f"  imported in {time.monotonic() - started:.1f} s")
    log(f"  task queue drained in {wait_for_queue():.1f} s")
    entries = register_entries(run)
    run.entry_paths = [url for url, _title, _key in entries]
    run.catalogue_pages = max(1, -(-len(entries) // catalogue_page_size()))


def catalogue_page_size():
    from wagtail_algoregister.formats import dcat

    return dcat.page_size()


def register_entries(run):
    """(path, title, translation key) of every published, public entry of the register."""
    from django.db import close_old_connections

    from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

    close_old_connections()
    register = AlgorithmRegisterPage.objects.get(pk=run.register_id)
    entries = AlgorithmPage.objects.child_of(register).live().public().order_by("pk")
    return [
        (f"{run.register_path}{entry.slug}/", entry.title, str(entry.translation_key))
        for entry in entries.only("slug", "title", "translation_key")
    ]


def gunicorn_options():
    """Options of this gunicorn version: newer ones open a control socket in $HOME, which
    several runs on one machine would share."""
    help_text = subprocess.run(  # noqa: S603
        [PY, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=True
    ).stdout
    return ["--no-control-socket"] if "--no-control-socket" in help_text else []


def start_web(run: Run):
    args = run.args
    run.port = free_port()
    run.start(
        "gunicorn",
        [
            PY,
            "-m",
            "gunicorn",
            *gunicorn_options(),
            "example_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{run.port}",
            "--workers",
            str(args.web_workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "10",
            "--timeout",
            "60",
        ],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _seconds = Client(run.port).get(run.register_path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 60 s (see gunicorn.log)")


# -- the clients ----------------------------------------------------------------------


class Client:
    """One keep-alive connection; ``last_link`` is the last response's ``Link`` header
    (the catalogue's paging)."""

    def __init__(self, port, timeout=60):
        self.port, self.timeout = port, timeout
        self.connection = None
        self.last_link = ""

    def get(self, path):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Host": "localhost"})
            response = self.connection.getresponse()
            body = response.read()
            self.last_link = response.getheader("Link", "")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, body, time.perf_counter() - started


def request_for(kind, run: Run, rng: random.Random) -> str:
    if kind == "register":
        return run.register_path
    if kind == "search":
        params = [("q", rng.choice(SEARCH_WORDS))]
        if rng.random() < 0.5:
            params.append(("status", "In gebruik"))
        return f"{run.register_path}?{urlencode(params)}"
    if kind == "entry":
        return rng.choice(run.entry_paths)
    page = rng.randint(1, run.catalogue_pages)
    return f"{run.register_path}catalog.ttl?page={page}"


@dataclass
class Sample:
    kind: str
    seconds: float
    error: str = ""


def load(run: Run, seconds: float, on_started=None) -> list[Sample]:
    args = run.args
    samples: list[Sample] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    kinds = [kind for kind, weight in WEIGHTS.items() for _ in range(weight)]

    def client(number):
        rng = random.Random(number)  # noqa: S311 (a load pattern, not a secret)
        connection = Client(run.port)
        time.sleep(rng.uniform(0, 2 * args.think))  # arrive spread out
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            path = request_for(kind, run, rng)
            started = time.perf_counter()
            try:
                status, _body, took = connection.get(path)
                error = "" if status == 200 else f"HTTP {status} {path}"
            except Exception as exception:  # a refused or dropped connection is an error too
                took, error = time.perf_counter() - started, f"{type(exception).__name__} {path}"
            with lock:
                samples.append(Sample(kind, took, error))
            time.sleep(rng.uniform(0, 2 * args.think))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    if on_started:
        on_started()
    for thread in threads:
        thread.join()
    return samples


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def unloaded_median(run: Run, kind: str, repeat: int) -> float:
    connection = Client(run.port)
    rng = random.Random(0)  # noqa: S311
    times = []
    for number in range(repeat + 3):
        status, _body, took = connection.get(request_for(kind, run, rng))
        if status != 200:
            raise RuntimeError(f"{kind}: HTTP {status} before the load")
        if number >= 3:  # after a warm-up
            times.append(took)
    return statistics.median(times)


# -- the checks after the load --------------------------------------------------------


def check_reachable(run: Run, entries) -> list[str]:
    problems = []
    connection = Client(run.port)
    for path, title, _key in entries:
        status, body, _took = connection.get(path)
        if status != 200 or html.escape(title).encode() not in body:
            problems.append(f"{path}: HTTP {status}")
    return problems


def check_searchable(run: Run, numbers) -> list[str]:
    """The API's search (Wagtail's search index, updated by the task workers) finds each
    new entry by the number in its name, and nothing else."""
    problems = []
    connection = Client(run.port)
    for number in numbers:
        query = urlencode(
            {
                "search": f"Algoritme {number:05d}",
                "search_operator": "and",
                "child_of": run.register_id,
                "fields": "title",
            }
        )
        status, body, _took = connection.get(f"/api/v2/algorithms/?{query}")
        titles = [item["title"] for item in json.loads(body)["items"]] if status == 200 else []
        if not any(title.startswith(f"Algoritme {number:05d}:") for title in titles):
            problems.append(f"not found: Algoritme {number:05d} (HTTP {status}, {titles[:3]})")
    return problems


def check_catalogue(run: Run, entries) -> list[str]:
    """Walk ``catalog.ttl`` along its ``next`` links: exactly the published entries."""
    connection = Client(run.port)
    path, seen, pages = f"{run.register_path}catalog.ttl", [], 0
    while path:
        status, body, _took = connection.get(path)
        pages += 1
        if status != 200:
            return [f"{path}: HTTP {status}"]
        seen += re.findall(rb"/id/([0-9a-f-]{36})/> a dcat:Dataset", body)
        path = next_link(connection.last_link)
    expected = {key for _path, _title, key in entries}
    found = [key.decode() for key in seen]
    problems = []
    if len(found) != len(set(found)):
        problems.append(f"{len(found) - len(set(found))} datasets listed twice")
    missing, extra = expected - set(found), set(found) - expected
    if missing:
        problems.append(f"{len(missing)} published entries missing, e.g. {sorted(missing)[:3]}")
    if extra:
        problems.append(f"{len(extra)} datasets that are not published entries")
    log(f"  catalogue: {pages} pages, {len(found)} datasets")
    return problems


def next_link(header) -> str:
    """The path of the ``next`` link of a ``Link`` header, or ""."""
    match = re.search(r'<([^>]*)>;\s*rel="next"', header or "")
    if not match:
        return ""
    url = urlsplit(match.group(1))
    return f"{url.path}?{url.query}" if url.query else url.path


# -- main -----------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-size", type=int, default=500)
    parser.add_argument("--preload", type=int, default=1000)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between requests")
    parser.add_argument("--baseline-repeat", type=int, default=30)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)

    work = Path(tempfile.mkdtemp(prefix="algoregister-production."))
    work.chmod(0o755)  # scripts/pg.sh runs the server as user postgres when we are root
    own_database = not os.environ.get("DATABASE_URL")
    run = None
    try:
        url = os.environ.get("DATABASE_URL") or start_postgres(work)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_CACHE": "database",
            "DJANGO_CONN_MAX_AGE": "60",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(SITE)]),
        }
        env.pop("ALGOREGISTER_IMMEDIATE_TASKS", None)
        run = Run(args=args, work=work, env=env)
        log(
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the "
            f"run; gunicorn {args.web_workers} processes x "
            f"{args.threads} threads, {args.task_workers} task workers, PostgreSQL "
            f"({'own cluster' if own_database else 'DATABASE_URL'})"
        )
        prepare(run)
        start_web(run)
        log(
            f"site: {len(run.entry_paths)} published entries, {run.catalogue_pages} catalogue "
            f"pages; http://127.0.0.1:{run.port}{run.register_path}"
        )
        baseline = {kind: unloaded_median(run, kind, args.baseline_repeat) for kind in WEIGHTS}
        log(
            "unloaded medians: "
            + ", ".join(f"{kind} {seconds * 1000:.1f} ms" for kind, seconds in baseline.items())
        )

        # The load, and the import once it runs.
        numbers = range(args.preload, args.preload + args.import_size)
        import_file = write_entries(work / "import.json", numbers)
        importing = {}

        def start_import():
            time.sleep(IMPORT_DELAY)
            importing["started"] = time.monotonic()
            importing["process"] = run.start(
                "import",
                [
                    PY,
                    "manage.py",
                    "algoregister_import",
                    str(import_file),
                    "--register",
                    str(run.register_id),
                    "--publish",
                ],
                background=True,
            )

        log(
            f"load: {args.clients} clients for {args.seconds:.0f} s, import of {args.import_size} ..."
        )
        web_pid = run.pid("gunicorn")
        db_pid = postgres_pid(work) if own_database else None
        cpu_before = (cpu_seconds(web_pid), cpu_seconds(db_pid) if db_pid else 0.0)
        client_before = time.process_time()
        started = time.monotonic()
        samples = load(
            run, args.seconds, on_started=lambda: threading.Thread(target=start_import).start()
        )
        load_seconds = time.monotonic() - started
        web_cpu = cpu_seconds(web_pid) - cpu_before[0]
        db_cpu = (cpu_seconds(db_pid) - cpu_before[1]) if db_pid else float("nan")
        client_cpu = time.process_time() - client_before
        process = importing["process"]
        status = process.wait(timeout=QUEUE_TIMEOUT)
        import_seconds = time.monotonic() - importing["started"]
        if status != 0:
            raise RuntimeError(f"the import failed (exit {status}, see import.log)")
        drained = wait_for_queue()
        _waiting, failed_tasks = queue_state()

        # The figures.
        by_kind = defaultdict(list)
        for sample in samples:
            by_kind[sample.kind].append(sample)
        errors = [sample.error for sample in samples if sample.error]
        log("")
        log(f"load average at the end of the load: {os.getloadavg()[0]:.1f}")
        log(
            f"{len(samples)} requests in {load_seconds:.0f} s ({len(samples) / load_seconds:.0f}/s), "
            f"{len(errors)} errors; the import of {args.import_size} entries took "
            f"{import_seconds:.1f} s (from {IMPORT_DELAY:.0f} s into the load); the task queue "
            f"drained {drained:.1f} s after it, {failed_tasks} failed tasks"
        )
        log(
            f"CPU during the load: gunicorn {web_cpu:.0f} s ({web_cpu / len(samples) * 1000:.0f} ms "
            f"per request), PostgreSQL {db_cpu:.0f} s (requests, the import and the task workers "
            f"together), the clients {client_cpu:.0f} s; the machine had "
            f"{os.cpu_count() * load_seconds:.0f} core-seconds"
        )
        log(
            f"{'kind':<10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'unloaded ms':>12}"
        )
        for kind in WEIGHTS:
            times = [sample.seconds for sample in by_kind[kind]]
            log(
                f"{kind:<10} {len(times):>8} {sum(1 for s in by_kind[kind] if s.error):>6} "
                f"{percentile(times, 0.50) * 1000:>8.1f} {percentile(times, 0.95) * 1000:>8.1f} "
                f"{percentile(times, 0.99) * 1000:>8.1f} {baseline[kind] * 1000:>12.1f}"
            )
        for error in sorted(set(errors))[:10]:
            log(f"  error: {error}")

        results = []
        register_times = [sample.seconds for sample in by_kind["register"]]
        ratio = percentile(register_times, 0.95) / baseline["register"]
        results.append(("errors under load", f"{len(errors)}", not errors))
        results.append(
            (
                "register page p95 under load / unloaded median",
                f"{ratio:.1f}x (target < {TARGET_RATIO:.0f}x)",
                ratio < TARGET_RATIO,
            )
        )
        results.append(("failed tasks", str(failed_tasks), failed_tasks == 0))

        log("after the queue drained:")
        entries = register_entries(run)
        expected = args.preload + args.import_size
        published = sum(1 for _path, title, _key in entries if GENERATED.match(title))
        results.append(
            ("published generated entries", f"{published} of {expected}", published == expected)
        )
        for name, problems in (
            ("every published entry reachable", check_reachable(run, entries)),
            ("every new entry searchable", check_searchable(run, numbers)),
            ("catalogue lists exactly the published entries", check_catalogue(run, entries)),
        ):
            for problem in problems[:5]:
                log(f"  {name}: {problem}")
            results.append((name, f"{len(problems)} problems", not problems))
        if EXPORTER_CHECKS:
            for check in EXPORTER_CHECKS:
                problems = check(run)
                results.append(
                    (check.__doc__ or check.__name__, f"{len(problems)} problems", not problems)
                )
        else:
            log(
                "  exporter invariant: no exporter configured in this run (bench.production.EXPORTER_CHECKS)"
            )

        log("")
        for name, value, ok in results:
            log(f"{name}: {value}: {'PASS' if ok else 'FAIL'}")
        passed = all(ok for _name, _value, ok in results)
        log(f"RESULT: {'PASS' if passed else 'FAIL'}")
        return 0 if passed else 1
    finally:
        if run is not None:
            run.stop()
            if os.environ.get("BENCH_KEEP_LOGS"):
                log(f"logs kept in {work}")
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if own_database:
            stop_postgres(work)
        if not os.environ.get("BENCH_KEEP_LOGS"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
