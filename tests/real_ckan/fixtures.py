"""pytest fixtures: real CKAN 2.12 instances for the CKAN export tests.

Registered in tests/conftest.py (``pytest_plugins``). Session-scoped, started on first
use, stopped at the end of the session (also after a failure or Ctrl-C; a watchdog stops
them if the pytest process is killed):

- ``ckan_plain``: vanilla CKAN 2.12, no plugins (licence list with ``cc-zero``).
- ``ckan_dcat``: CKAN 2.12 with ``scheming_datasets`` + ``dcat``: dataset type
  ``dataset`` uses ckanext-dcat's DCAT-AP schema, dataset type ``donl-dataset`` our
  DCAT-AP-DONL 1.1 stand-in (donl_dataset.yaml); ``/catalog.ttl`` and
  ``/dataset/<id>.rdf`` work.
- ``ckan_harvest``: CKAN 2.12 with ``scheming_datasets`` + ``dcat`` + ``harvest`` +
  ``dcat_rdf_harvester``: harvests a DCAT catalogue into ckanext-dcat's DCAT-AP schema;
  :meth:`CkanInstance.harvest` runs one job in process (harvest_sync.py, no Redis).
- ``ckan_plain_clean`` / ``ckan_dcat_clean``: the same instance, with every dataset of
  the organisation purged before and after the test.

Each yields a :class:`CkanInstance`. CKAN runs from its own venv (``CKAN_VENV``, default
``<repo>/.venv-ckan``, made by ckan_install.sh, which the fixture runs as well: instant
when installed). The test process only needs ``ckanapi``. A real CKAN is required: when it
cannot be installed or started the fixture fails with the log tail; it never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests


HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LOGS = ("ckan.log", "solr.log", "pg/server.log")


def ckan_venv() -> Path:
    return Path(os.environ.get("CKAN_VENV") or REPO / ".venv-ckan")


class _TimeoutSession(requests.Session):
    """A requests session with a default timeout (ckanapi sets none by default)."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(*args, **kwargs)


@dataclass
class CkanInstance:
    """A running test CKAN. Tokens are for this throw-away instance only."""

    kind: str  # "plain", "dcat" or "harvest"
    url: str  # http://127.0.0.1:<port>, also CKAN's ckan.site_url
    organization: str  # name of the organisation: "gemeente-noorderhaaks"
    organization_id: str
    sysadmin_name: str
    sysadmin_token: str
    editor_name: str  # a normal user, editor of the organisation
    editor_token: str
    ckan_version: str  # from status_show, e.g. "2.12.0"
    home: Path  # state folder: ckan.ini, logs, PostgreSQL cluster
    db_url: str  # CKAN's own database (postgresql://ckan:ckan@127.0.0.1:<port>/ckan)
    pg_bin: str  # folder of PostgreSQL's programs (psql)
    timeout: float = 30.0

    @property
    def ini(self) -> Path:
        return self.home / "ckan.ini"

    def client(self, token: str | None = None, timeout: float | None = None):
        """A ``ckanapi.RemoteCKAN`` with ``token`` (anonymous when None) and a timeout."""
        import ckanapi

        return ckanapi.RemoteCKAN(
            self.url,
            apikey=token,
            user_agent="wagtail-algoregister-tests",
            session=_TimeoutSession(timeout or self.timeout),
        )

    def sysadmin(self, timeout: float | None = None):
        return self.client(self.sysadmin_token, timeout)

    def editor(self, timeout: float | None = None):
        """Client of the organisation's editor: what a municipality's account can do."""
        return self.client(self.editor_token, timeout)

    def anonymous(self, timeout: float | None = None):
        return self.client(None, timeout)

    def sql(self, query: str, **params: str) -> list[list[str]]:
        """Rows of a query on CKAN's database, as text (through psql), for checks that
        the API cannot make. Values go in as psql variables: ``:'name'`` in the query."""
        args = [f"{self.pg_bin}/psql", self.db_url, "-qtAX", "-v", "ON_ERROR_STOP=1"]
        for name, value in params.items():
            args += ["-v", f"{name}={value}"]
        done = subprocess.run(
            [*args, "-F", "\t"],
            input=query,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return [line.split("\t") for line in done.stdout.splitlines() if line]

    def purge_all(self) -> int:
        """Purge every dataset of the organisation (any type, private, draft or deleted),
        through the API as the sysadmin. Returns the number purged.

        The ids come from the database: deleted datasets are no longer in the search
        index (ckan.search.remove_deleted_packages). About 50 ms per dataset, 10 ms when
        there is none."""
        ids = self.sql("SELECT id FROM package WHERE owner_org = :'org'", org=self.organization_id)
        if ids:
            with self.sysadmin() as ck:
                for (package_id,) in ids:
                    ck.action.dataset_purge(id=package_id)
        return len(ids)

    def portal_settings(self, **overrides) -> dict:
        """An exporter for ``WAGTAIL_ALGOREGISTER["EXPORTERS"]`` pointing at this instance,
        with the editor's token (as a municipality's account), no rate limit."""
        spec = {
            "BACKEND": "ckan_export.exporter.CkanExporter",
            "URL": self.url,
            "ORGANIZATION": self.organization,
            "TOKEN": self.editor_token,
            "RATE_LIMIT": 0,
            "TIMEOUT": self.timeout,
        }
        if self.kind == "dcat":
            spec.update(PROFILE="donl", DATASET_TYPE="donl-dataset")
        else:
            spec.update(PROFILE="ckan")
        spec.update(overrides)
        return spec

    def log_tail(self, lines: int = 40) -> str:
        return _log_tail(self.home, lines)

    def harvest(self, source: str, timeout: float = 300) -> dict:
        """Run one job of harvest source ``source`` (name or id) to its end, in a CKAN
        process of its own (harvest_sync.py; ``harvest`` instances only). Returns the
        job: ``status``, ``stats`` (added, updated, not modified, errored, deleted),
        ``gather_errors`` and ``object_errors``."""
        done = subprocess.run(
            [
                str(ckan_venv() / "bin" / "python"),
                str(HERE / "harvest_sync.py"),
                str(self.ini),
                source,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise AssertionError(
                f"harvest_sync.py failed (exit {done.returncode}):\n"
                + "\n".join(done.stderr.splitlines()[-40:])
            )
        return json.loads(done.stdout.strip().splitlines()[-1])


def _log_tail(home: Path, lines: int = 40) -> str:
    out = []
    for name in LOGS:
        path = home / name
        if path.exists():
            text = path.read_text(errors="replace").splitlines()
            # CKAN's start-up complaint about Redis (not needed) is noise here
            text = [t for t in text if "Redis" not in t and "redis" not in t]
            out.append(f"--- {name} (last {lines} lines)\n" + "\n".join(text[-lines:]))
    return "\n".join(out)


def _run(cmd, env, timeout):
    return subprocess.run(
        ["bash", str(HERE / cmd)], env=env, capture_output=True, text=True, timeout=timeout
    )


def _stop(home: Path, purge: bool):
    env = dict(os.environ, CKAN_HOME=str(home), CKAN_PURGE="1" if purge else "0")
    try:
        _run("ckan_down.sh", env, timeout=120)
    finally:
        if purge:
            shutil.rmtree(home, ignore_errors=True)


def _start(kind: str, home: Path) -> CkanInstance:
    env = dict(os.environ)
    for var in ("CKAN_PORT", "PG_PORT", "CKAN_EXTRA_CONFIG"):  # always free ports
        env.pop(var, None)
    env.update(
        CKAN_KIND=kind,
        CKAN_VENV=str(ckan_venv()),
        CKAN_HOME=str(home),
        CKAN_WATCH_PID=str(os.getpid()),
    )
    try:
        done = _run("ckan_install.sh", env, timeout=1800)
    except subprocess.TimeoutExpired:
        pytest.fail("real CKAN: ckan_install.sh took more than 30 minutes", pytrace=False)
    if done.returncode:
        pytest.fail(
            f"real CKAN: ckan_install.sh failed (exit {done.returncode}):\n"
            + "\n".join((done.stdout + done.stderr).splitlines()[-40:]),
            pytrace=False,
        )
    try:
        done = _run("ckan_up.sh", env, timeout=300)
        failure = f"exit {done.returncode}" if done.returncode else ""
        output = done.stderr
    except subprocess.TimeoutExpired as exc:
        failure, output = "timed out after 300 s", str(exc.stderr or "")
    if failure:
        pytest.fail(
            f"real CKAN ({kind}): ckan_up.sh failed ({failure}):\n"
            + "\n".join(output.splitlines()[-30:])
            + "\n"
            + _log_tail(home),
            pytrace=False,
        )
    info = json.loads((home / "ckan.json").read_text())
    return CkanInstance(
        kind=kind,
        url=info["url"],
        organization=info["organization"],
        organization_id=info["organization_id"],
        sysadmin_name=info["sysadmin"],
        sysadmin_token=info["sysadmin_token"],
        editor_name=info["editor"],
        editor_token=info["editor_token"],
        ckan_version=info["ckan_version"],
        home=home,
        db_url=info["db_url"],
        pg_bin=info["pg_bin"],
    )


def _instance(kind: str):
    # Not pytest's tmp_path: as root, PostgreSQL runs as user postgres, which cannot
    # enter /tmp/pytest-of-root (mode 0700).
    home = Path(tempfile.mkdtemp(prefix=f"algoregister-ckan-{kind}.", dir="/tmp"))
    keep = os.environ.get("CKAN_KEEP") == "1"  # keep logs and data for debugging
    try:
        yield _start(kind, home)
    finally:
        _stop(home, purge=not keep)


@pytest.fixture(scope="session")
def ckan_plain():
    """Vanilla CKAN 2.12 (no plugins), see :class:`CkanInstance`."""
    yield from _instance("plain")


@pytest.fixture(scope="session")
def ckan_dcat():
    """CKAN 2.12 with scheming_datasets + dcat (types ``dataset`` and ``donl-dataset``)."""
    yield from _instance("dcat")


@pytest.fixture(scope="session")
def ckan_harvest():
    """CKAN 2.12 with scheming_datasets + dcat + harvest + dcat_rdf_harvester."""
    yield from _instance("harvest")


@pytest.fixture
def ckan_plain_clean(ckan_plain):
    """``ckan_plain`` with no datasets in the organisation before and after the test."""
    ckan_plain.purge_all()
    yield ckan_plain
    ckan_plain.purge_all()


@pytest.fixture
def ckan_dcat_clean(ckan_dcat):
    """``ckan_dcat`` with no datasets in the organisation before and after the test."""
    ckan_dcat.purge_all()
    yield ckan_dcat
    ckan_dcat.purge_all()
