"""The rules of docs/architecture.md, checked on the code itself.

- import-linter's contracts (``[importlinter]`` in setup.cfg), run as ``lint-imports`` runs them;
- no import circle among the modules of the three packages (grimp's import graph);
- an import inside a function only with the ``# app loading:`` marker and its reason;
- private attributes of Wagtail, treebeard, modelcluster or Django only in
  ``wagtail_algoregister/compat.py``.

Each rule is also run against a made-up violation, to show that it can fail.
"""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import importlinter.api
import pytest
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract


ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("wagtail_algoregister", "ckan_export", "national_export")
CONFIG = importlinter.api.read_configuration(str(ROOT / "setup.cfg"))
CONTRACTS = {options["id"]: options for options in CONFIG["contracts_options"]}
CONTRACT_TYPES = {
    "forbidden": ForbiddenContract,
    "independence": IndependenceContract,
    "layers": LayersContract,
}


def source_files():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES)


# -- import-linter's contracts -------------------------------------------------------


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_import_contract_is_kept(contract_id):
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--contract", contract_id, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def check(contract_id, graph):
    options = CONTRACTS[contract_id]
    contract = CONTRACT_TYPES[options["type"]](
        name=options["name"],
        session_options=CONFIG["session_options"],
        contract_options=options,
    )
    return contract.check(copy.deepcopy(graph), verbose=False)


@pytest.mark.parametrize(
    ("contract_id", "importer", "imported"),
    [
        ("core-imports-no-exporter", "wagtail_algoregister.listing.cache", "national_export.conf"),
        ("core-imports-no-exporter", "wagtail_algoregister.formats.dcat", "ckan_export.names"),
        ("exporters-independent", "national_export.sync", "ckan_export.client"),
        # models import no views, admin, sync or formats
        ("core-layers", "wagtail_algoregister.models.pages", "wagtail_algoregister.views.exports"),
        ("core-layers", "wagtail_algoregister.models.pages", "wagtail_algoregister.admin.forms"),
        ("core-layers", "wagtail_algoregister.models.links", "wagtail_algoregister.sync.engine"),
        ("core-layers", "wagtail_algoregister.models.pages", "wagtail_algoregister.formats.dcat"),
        # parts on one layer are independent
        (
            "core-layers",
            "wagtail_algoregister.views.feeds",
            "wagtail_algoregister.importing.readers",
        ),
        ("core-layers", "wagtail_algoregister.sync.engine", "wagtail_algoregister.warmup"),
        ("core-layers", "wagtail_algoregister.standard", "wagtail_algoregister.listing.facets"),
        ("core-layers", "wagtail_algoregister.fields", "wagtail_algoregister.blocks"),
    ],
)
def test_a_contract_catches_an_import_against_it(graph, contract_id, importer, imported):
    assert check(contract_id, graph).kept
    graph = copy.deepcopy(graph)
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    assert not check(contract_id, graph).kept


def test_an_ignored_import_that_no_longer_exists_is_an_error(graph):
    """An exception to ``core-imports-no-exporter`` is named in ``ignore_imports``; once
    the import is gone, the ignore left behind fails the contract instead of hiding a
    later import of the same kind."""
    options = CONTRACTS["core-imports-no-exporter"]
    assert options.get("unmatched_ignore_imports_alerting", "error") == "error"
    for expression in options.get("ignore_imports", []):
        importer, imported = (part.strip() for part in expression.split("->"))
        assert graph.direct_import_exists(importer=importer, imported=imported), expression
    stale = {
        **options,
        "ignore_imports": [
            *options.get("ignore_imports", []),
            "wagtail_algoregister.formats.dcat -> ckan_export.context",
        ],
    }
    contract = ForbiddenContract(
        name=options["name"], session_options=CONFIG["session_options"], contract_options=stale
    )
    with pytest.raises(Exception, match="No matches for ignored import"):
        contract.check(copy.deepcopy(graph), verbose=False)


# -- no import circle ----------------------------------------------------------------


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def import_edges(graph) -> dict[str, set[str]]:
    """Who imports whom among the graph's modules, as Python runs them.

    Importing ``a.b.c`` runs the packages ``a`` and ``a.b`` first: an import of a module
    is also an import of its parent packages, except those the importer sits in (they
    are already being run when it is).
    """
    modules = set(graph.modules)
    edges = {module: set() for module in modules}
    for importer in modules:
        own = set(_ancestors(importer))
        for imported in graph.find_modules_directly_imported_by(importer):
            for target in [*_ancestors(imported), imported]:
                if target in modules and target not in own and target != importer:
                    edges[importer].add(target)
    return edges


def _strongly_connected(edges) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _shortest_cycle(edges, group) -> list[str]:
    """A shortest circle through the group's first module, within the group."""
    start = min(group)
    paths, seen = [[start]], {start}
    while paths:
        following = []
        for path in paths:
            for child in sorted(edges[path[-1]] & group):
                if child == start:
                    return [*path, start]
                if child not in seen:
                    seen.add(child)
                    following.append([*path, child])
        paths = following
    return [start]


def import_cycles(graph) -> list[list[str]]:
    """One shortest circle per group of modules that import each other, round or not."""
    edges = import_edges(graph)
    return [
        _shortest_cycle(edges, group)
        for group in _strongly_connected(edges)
        if len(group) > 1 or any(member in edges[member] for member in group)
    ]


def describe(graph, cycle) -> str:
    steps = []
    for importer, imported in zip(cycle, cycle[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = f" (line {details[0]['line_number']})" if details else " (a module inside)"
        steps.append(f"{importer}{where}")
    return " -> ".join([*steps, cycle[-1]])


def test_no_import_circle(graph):
    cycles = import_cycles(graph)
    assert not cycles, "import circles:\n" + "\n".join(describe(graph, c) for c in cycles)


def test_an_import_circle_is_found_and_named(graph):
    graph = copy.deepcopy(graph)
    graph.add_import(
        importer="wagtail_algoregister.listing.facets",
        imported="wagtail_algoregister.models.pages",
        line_number=7,
        line_contents="from wagtail_algoregister.models.pages import AlgorithmPage",
    )
    [cycle] = import_cycles(graph)
    assert cycle[0] == cycle[-1]
    assert {"wagtail_algoregister.listing.facets", "wagtail_algoregister.models.pages"} <= set(
        cycle
    )
    text = describe(graph, cycle)
    assert "wagtail_algoregister.listing.facets (line 7) -> wagtail_algoregister.models.pages" in (
        text
    )


def test_a_circle_through_a_parent_package_is_found():
    """``a`` imports ``sub.b``, so Python runs ``sub/__init__`` first, which imports ``a``."""
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.sub", "pkg.sub.b"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.sub.b", line_number=1, line_contents="")
    graph.add_import(importer="pkg.sub", imported="pkg.a", line_number=1, line_contents="")
    assert import_cycles(graph) == [["pkg.a", "pkg.sub", "pkg.a"]]
    # a module importing its sibling inside its own package is no circle
    sibling = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b"):
        sibling.add_module(module)
    sibling.add_import(importer="pkg", imported="pkg.a", line_number=1, line_contents="")
    sibling.add_import(importer="pkg.a", imported="pkg.b", line_number=1, line_contents="")
    assert import_cycles(sibling) == []


# -- imports inside functions --------------------------------------------------------

MARKER = "# app loading:"


def function_level_imports(source: str) -> list[tuple[int, str, bool]]:
    """``(line, statement, justified)`` of every import inside a function.

    Justified: ``# app loading: <why>`` on its line or among the comments right above
    it (one marker above a block of imports covers the block).
    """
    lines = source.splitlines()
    found = []

    def reason(text):
        why = text.split(MARKER, 1)[1].strip() if MARKER in text else ""
        return len(why.split()) >= 3  # a reason, not the marker alone

    def justified(number):
        if reason(lines[number - 1]):
            return True
        for line in reversed(lines[: number - 1]):
            text = line.strip()
            if text.startswith("#"):
                if reason(text):
                    return True
            elif not text.startswith(("import ", "from ")):
                return False
        return False

    class Visitor(ast.NodeVisitor):
        depth = 0

        def visit_FunctionDef(self, node):
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        visit_AsyncFunctionDef = visit_FunctionDef
        visit_Lambda = visit_FunctionDef

        def visit_Import(self, node):
            if self.depth:
                statement = lines[node.lineno - 1].strip()
                found.append((node.lineno, statement, justified(node.lineno)))

        visit_ImportFrom = visit_Import

    Visitor().visit(ast.parse(source))
    return found


def test_imports_inside_functions_only_where_app_loading_forces_them():
    unjustified = [
        f"{relative(path)}:{line}: {statement}"
        for path in source_files()
        for line, statement, ok in function_level_imports(path.read_text(encoding="utf-8"))
        if not ok
    ]
    assert not unjustified, (
        f"imports inside functions without a '{MARKER} <reason>' comment (move them to the "
        "top of the module, or say which app-loading cycle forces them):\n" + "\n".join(unjustified)
    )


def test_function_level_imports_are_found_and_judged():
    source = textwrap.dedent(
        """
        import os


        def ready():
            # app loading: models need the app registry.
            from .models import Entry
            from .panels import handler
            value = 1
            from .forms import Form


        def helper():
            import json  # app loading: the models import this module.

            def inner():
                from .tasks import run  # app loading:
            return inner


        class Thing:
            def method(self):
                import csv
        """
    )
    assert function_level_imports(source) == [
        (7, "from .models import Entry", True),
        (8, "from .panels import handler", True),
        (10, "from .forms import Form", False),
        (14, "import json  # app loading: the models import this module.", True),
        (17, "from .tasks import run  # app loading:", False),  # no reason given
        (23, "import csv", False),
    ]


# -- private APIs of Wagtail, treebeard, modelcluster and Django -----------------------

COMPAT = "wagtail_algoregister/compat.py"
# Documented, public APIs despite the underscore.
PUBLIC_UNDERSCORED = {
    "_meta": "Django's Model._meta API (documented and stable since Django 1.8)",
    "_default_manager": "Django's documented way to reach any model's default manager",
    "_base_manager": "Django's documented plain manager",
    "_state": "Django's documented Model._state (adding, db)",
}
# Private APIs still used outside compat.py (none since the importer stopped using them);
# an entry that no longer matches fails the test below, so it is deleted with the use.
STILL_ELSEWHERE: set[tuple[str, str]] = set()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def own_private_names(trees) -> set[str]:
    """Private names our own code defines: functions, classes, variables, arguments,
    attributes set on ``self`` or ``cls``, slots."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            ):
                names.add(node.attr)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets
            ):
                names.update(c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant))
    return {name for name in names if isinstance(name, str) and _private(name)}


def private_uses(tree, own: set[str]) -> list[tuple[int, str]]:
    """``(line, name)`` of every private name of someone else's code that ``tree`` uses:
    ``x._name``, ``getattr(x, "_name")`` (and hasattr, setattr, delattr), and
    ``from library import _name`` or ``import library._module``."""
    allowed = own | set(PUBLIC_UNDERSCORED)
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in allowed:
            uses.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and node.args[1].value not in allowed
        ):
            uses.append((node.lineno, node.args[1].value))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
            if module.split(".")[0] in PACKAGES:
                continue
            for part in module.split("."):
                if _private(part):
                    uses.append((node.lineno, part))
            uses += [(node.lineno, a.name) for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PACKAGES:
                    uses += [(node.lineno, p) for p in alias.name.split(".") if _private(p)]
    return uses


def test_private_apis_of_libraries_only_in_compat():
    trees = {relative(path): ast.parse(path.read_text(encoding="utf-8")) for path in source_files()}
    own = own_private_names(trees.values())
    found = {
        (path, line, name)
        for path, tree in trees.items()
        if path != COMPAT
        for line, name in private_uses(tree, own)
    }
    unexpected = sorted(use for use in found if use[::2] not in STILL_ELSEWHERE)
    assert not unexpected, (
        f"private attributes of Wagtail, treebeard, modelcluster or Django outside {COMPAT} "
        "(use a public API, or add a function with a test to compat.py):\n"
        + "\n".join(f"{path}:{line}: {name}" for path, line, name in unexpected)
    )
    gone = STILL_ELSEWHERE - {use[::2] for use in found}
    assert not gone, f"no longer used, remove them from STILL_ELSEWHERE: {sorted(gone)}"


def test_private_uses_are_found():
    own_source = textwrap.dedent(
        """
        class Row:
            __slots__ = ("_page",)

            def __init__(self, page):
                self._page = page
                self._links = {}

        def _helper():
            return 1
        """
    )
    source = textwrap.dedent(
        """
        from wagtail.models import Page
        from wagtail.models.pages import _private_helper
        import django.utils._os
        from wagtail_algoregister.standard import _own_module_name

        def f(page, register, row, stderr, model):
            page._cached_parent_obj = register
            paths = register._get_site_root_paths()
            out = getattr(stderr, "_out", None)
            fields = model._meta.get_fields()
            manager = model._default_manager
            value = row._page, row._links, module._helper(), row.__dict__
            return getattr(row, "_page")
        """
    )
    own = own_private_names([ast.parse(own_source)])
    assert own == {"_page", "_links", "_helper"}
    assert sorted(private_uses(ast.parse(source), own)) == [
        (3, "_private_helper"),
        (4, "_os"),
        (8, "_cached_parent_obj"),
        (9, "_get_site_root_paths"),
        (10, "_out"),
    ]


def test_every_compat_function_is_used():
    tree = ast.parse((ROOT / COMPAT).read_text(encoding="utf-8"))
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert names
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in source_files() if relative(path) != COMPAT
    )
    unused = [name for name in names if name not in sources]
    assert not unused, f"compat.py keeps private APIs nothing needs any more: {unused}"
