"""Imports between web packages follow the table in docs/architecture.md, and nothing else.

Every module under src/kratom_recovery/web/ is parsed (not imported), so imports inside
functions and TYPE_CHECKING blocks count as much as those at the top.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "kratom_recovery" / "web"
DOC = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| `([a-z_]+)` \|(.*)\|$")
# Calls that look a module or a model up by name and so hide an edge from readers and mypy.
BY_NAME = {"import_string", "get_model", "import_module"}
OUTSIDE_WEB = {"commands", "cli"}


def allowed_table(text: str | None = None) -> dict[str, set[str]]:
    """The "Allowed imports" table of docs/architecture.md: package -> packages it may import."""
    text = DOC.read_text() if text is None else text
    section = text.split("## Allowed imports", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        match = ROW.match(line.strip())
        if match:
            table[match.group(1)] = set(re.findall(r"`([a-z_]+)`", match.group(2)))
    return table


def package_of(module: str) -> str | None:
    """The table's name for a kratom_recovery module; None for anything outside the project."""
    parts = module.split(".")
    if parts[0] != "kratom_recovery" or len(parts) < 2:
        return None
    if parts[1] != "web":
        return parts[1]
    if len(parts) == 2:
        return "project"
    return parts[2] if (WEB / parts[2]).is_dir() else "project"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, absolute module) for each import, with `from x import y` also giving x.y."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def by_name_calls(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in BY_NAME:
            yield node.lineno, node.attr
        elif isinstance(node, ast.Name) and node.id in BY_NAME:
            yield node.lineno, node.id
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in BY_NAME:
            yield getattr(node, "lineno", 0), node.name


def problems(source: str, module: str, is_package: bool,
             table: dict[str, set[str]]) -> list[str]:
    """What is wrong with one module's imports, as readable lines."""
    own = package_of(module)
    assert own is not None
    tree = ast.parse(source)
    found: list[str] = []
    edges = set()  # one message per import statement and package, not per imported name
    for line, target in imported(tree, module, is_package):
        other = package_of(target)
        if other is None or other == own:
            continue
        where = f"{module}:{line} imports {target}"
        if own != "project" and "views" in target.split(".")[3:]:
            found.append(f"{where}: only urls.py imports another package's views")
        if (line, other) in edges:
            continue
        edges.add((line, other))
        if other in OUTSIDE_WEB:
            found.append(f"{where}: nothing in web/ imports {other}")
        elif other not in table.get(own, set()):
            found.append(f"{where}: {own} -> {other} is not in docs/architecture.md")
    for line, name in by_name_calls(tree):
        found.append(f"{module}:{line} uses {name}: import the module instead")
    return found


def web_modules() -> list[Path]:
    return sorted(path for path in WEB.rglob("*.py") if "migrations" not in path.parts)


def test_every_web_import_is_in_the_allowed_graph() -> None:
    table = allowed_table()
    found = []
    for path in web_modules():
        found += problems(path.read_text(), module_name(path), path.name == "__init__.py",
                          table)
    assert found == []
    assert len(web_modules()) > 50


def test_every_web_package_has_a_row_and_the_table_has_no_cycle() -> None:
    table = allowed_table()
    packages = {p.name for p in WEB.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages | {"project"} == set(table)
    # Depth-first search for a cycle among the web packages.
    state: dict[str, str] = {}

    def visit(node: str, path: tuple[str, ...]) -> None:
        state[node] = "open"
        for nxt in sorted(table.get(node, set()) & set(table)):
            assert state.get(nxt) != "open", " -> ".join((*path, node, nxt))
            if nxt not in state:
                visit(nxt, (*path, node))
        state[node] = "done"

    for node in sorted(table):
        if node not in state:
            visit(node, ())


def test_nothing_may_import_api_or_commands_and_common_only_the_core() -> None:
    table = allowed_table()
    assert [p for p, allowed in table.items() if "api" in allowed] == ["project"]
    assert not any(OUTSIDE_WEB & allowed for allowed in table.values())
    assert table["common"] == {"care"}
    assert "patients" not in table["accounts"] | table["audit"]


TABLE = {"common": {"care"}, "patients": {"care", "common"}, "safety": {"patients"},
         "project": {"patients", "safety"}}


@pytest.mark.parametrize(("module", "source", "expected"), [
    # sideways, upward, inside a function and under TYPE_CHECKING all count
    ("kratom_recovery.web.patients.x", "from kratom_recovery.web.safety import engine",
     "patients -> safety"),
    ("kratom_recovery.web.common.x", "import kratom_recovery.web.patients.models",
     "common -> patients"),
    ("kratom_recovery.web.patients.x",
     "def f():\n    from kratom_recovery.web.safety.models import Alert\n", "patients -> safety"),
    ("kratom_recovery.web.patients.x",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
     "    from kratom_recovery.web.safety.models import Alert\n", "patients -> safety"),
    ("kratom_recovery.web.safety.x", "from kratom_recovery.web.patients.views import f",
     "only urls.py imports"),
    ("kratom_recovery.web.safety.x", "from kratom_recovery.web.patients import views",
     "only urls.py imports"),
    ("kratom_recovery.web.safety.x", "from kratom_recovery.commands import triage",
     "nothing in web/ imports commands"),
    ("kratom_recovery.web.safety.x", "from ..patients import models", None),
    ("kratom_recovery.web.patients.x", "from ..safety import engine", "patients -> safety"),
    ("kratom_recovery.web.patients.x",
     "from django.apps import apps\nm = apps.get_model('safety', 'Alert')", "uses get_model"),
    ("kratom_recovery.web.patients.x",
     "from django.utils.module_loading import import_string", "uses import_string"),
    ("kratom_recovery.web.patients.x", "import importlib\nimportlib.import_module('x')",
     "uses import_module"),
    ("kratom_recovery.web.safety.x", "from kratom_recovery.web.patients.models import P", None),
    ("kratom_recovery.web.urls", "from kratom_recovery.web.safety import views", None),
])
def test_the_checker_finds_each_kind_of_bad_import(
    module: str, source: str, expected: str | None
) -> None:
    found = problems(source, module, False, TABLE)
    if expected is None:
        assert found == []
    else:
        assert any(expected in line for line in found), found


def test_table_parser_reads_rows_of_the_allowed_section_only() -> None:
    text = ("# T\n| `x` | `y` |\n## Allowed imports\n\n| Package | May import |\n|---|---|\n"
            "| `a` | `b`, `c` |\n| `b` | |\n## Next\n| `z` | `a` |\n")
    assert allowed_table(text) == {"a": {"b", "c"}, "b": set()}
