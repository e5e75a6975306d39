"""The bulk writer uses only public APIs, and computes what treebeard and Wagtail would.

``importing.bulk`` numbers tree paths with treebeard's public ``numconv_obj()``,
``alphabet`` and ``steplen``; these tests compare its numbering with treebeard's own
(private) path functions and with ``add_child``, so that a treebeard or Wagtail that
numbers paths differently fails here rather than corrupting a tree. No module of the
import may call a private API of Wagtail, treebeard or Django (checked by reading
their source), and the import's modules import each other without a circle.
"""

import ast
from pathlib import Path

import pytest
from treebeard.exceptions import PathOverflow
from wagtail.models import Page

from tests.conftest import full_entry
from wagtail_algoregister.importing import Options, run_import
from wagtail_algoregister.importing.bulk import tree_path, tree_step
from wagtail_algoregister.importing.readers import Record
from wagtail_algoregister.models import AlgorithmPage


PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_algoregister"


@pytest.mark.parametrize("step", [1, 2, 9, 10, 35, 36, 37, 1295, 1296, 36**4 - 1])
def test_tree_paths_are_treebeards(step):
    parent = "00010001"
    path = tree_path(parent, step)
    # treebeard's own (private) numbering: the reference this test pins.
    assert path == Page._get_path(parent, len(parent) // Page.steplen + 1, step)
    assert tree_step(path) == Page._str2int(path[-Page.steplen :]) == step


def test_a_full_level_overflows_as_treebeard_does():
    with pytest.raises(PathOverflow):
        tree_path("0001", 36**4)


def test_bulk_entries_continue_the_numbering_of_add_child(register):
    first = AlgorithmPage(title="Eerste", slug="eerste", **_fields())
    register.add_child(instance=first)
    records = [
        Record(f"entry {n}", full_entry(source_id=f"b{n}", name=f"Bulk {n}")) for n in range(3)
    ]
    run_import(None, register, Options(), records=records)
    last = AlgorithmPage(title="Laatste", slug="laatste", **_fields())
    register.refresh_from_db()
    register.add_child(instance=last)
    children = list(register.get_children().order_by("path"))
    assert [c.title for c in children] == ["Eerste", "Bulk 0", "Bulk 1", "Bulk 2", "Laatste"]
    assert [tree_step(c.path) for c in children] == [1, 2, 3, 4, 5]
    assert not [problem for problem in Page.find_problems() if problem]
    register.refresh_from_db()
    assert register.numchild == 5


def _fields():
    entry = full_entry()
    return {
        "description_short": entry["description_short"],
        "organization": entry["organization"],
        "status": entry["status"],
        "contact_email": entry["contact_email"],
        "publication_category": entry["publication_category"],
    }


PRIVATE_OF_LIBRARIES = {"Page", "AlgorithmPage", "MP_Node", "QuerySet", "objects"}


def _modules():
    return sorted([*(PACKAGE / "importing").glob("*.py"), *(PACKAGE / "standard").rglob("*.py")])


def test_the_import_calls_no_private_api():
    for path in _modules():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not (node.attr.startswith("__") and node.attr.endswith("__"))
            ):
                owner = node.value
                name = getattr(owner, "id", None) or getattr(owner, "attr", None)
                # _meta is Django's documented Model _meta API.
                assert node.attr == "_meta" or name not in PRIVATE_OF_LIBRARIES, (
                    f"{path.name}:{node.lineno}: {name}.{node.attr}"
                )
                assert not node.attr.startswith(("_batched", "_get_path", "_str2int")), (
                    f"{path.name}:{node.lineno}: {node.attr}"
                )


def _imports(path: Path, package: str) -> set[str]:
    """Modules of ``wagtail_algoregister`` that ``path`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module])
            if module.startswith("wagtail_algoregister"):
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("wagtail_algoregister"))
    return found


def test_no_import_circle_in_the_import_and_the_standard():
    modules = {}
    for path in _modules():
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = ".".join(parts[:-1]) if parts[-1] != "__init__" else name
        modules[name] = _imports(path, package)
    graph = {
        name: {m for m in imported if m in modules and m != name}
        for name, imported in modules.items()
    }
    # A package's __init__ re-exporting its modules is no circle of theirs.
    done, stack = set(), []

    def visit(node):
        if node in stack:
            cycle = stack[stack.index(node) :] + [node]
            raise AssertionError(" → ".join(cycle))
        if node in done:
            return
        stack.append(node)
        for target in graph[node]:
            if not (target == node.rsplit(".", 1)[0] and node.startswith(target)):
                visit(target)
        stack.pop()
        done.add(node)

    for name in graph:
        visit(name)
    assert "wagtail_algoregister.importing.bulk" in graph
    assert (
        "wagtail_algoregister.importing.importer"
        not in graph["wagtail_algoregister.importing.bulk"]
    )
