"""Every environment variable the code reads is in the README's configuration table.

The names are found in the source, as datasette's docs test finds its settings: each call to
a config helper or `os.environ` with a literal name. A secret (envsecret) must also show its
`NAME_FILE` form, and the table may not list a variable nothing reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "kratom_recovery"
READ = re.compile(r"""\b(envbool|envint|envsecret|envlist|os\.environ\.get|os\.getenv)\(\s*"""
                  r"""["']([A-Z][A-Z0-9_]*)["']|os\.environ\[["']([A-Z][A-Z0-9_]*)["']\]""")
# Django's own, set by our entry points; the terminal's width, read for help text as argparse
# reads it (cli.terminal_columns).
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "COLUMNS"}


def read_in_source() -> dict[str, set[str]]:
    """Each variable name read under src/, with the helpers that read it."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            helper, name = match[1] or "os.environ", match[2] or match[3]
            found.setdefault(name, set()).add(helper)
    return {name: helpers for name, helpers in found.items() if name not in NOT_SETTINGS}


def table_rows() -> dict[str, str]:
    """Each name in the first column of the README's configuration table, with its row."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            rows.update((name, line) for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", first))
    return rows


READ_IN_SOURCE = read_in_source()
TABLE = table_rows()


def test_the_source_scan_finds_the_settings() -> None:
    """The scan itself works: it must see the helpers and a plain read."""
    assert READ_IN_SOURCE["SECRET_KEY"] == {"envsecret"}
    assert READ_IN_SOURCE["WEB_CONCURRENCY"] == {"envint"}
    assert "KRATOM_RECOVERY_HOME" in READ_IN_SOURCE and len(READ_IN_SOURCE) >= 20


@pytest.mark.parametrize("name", sorted(READ_IN_SOURCE))
def test_every_variable_read_is_documented(name: str) -> None:
    assert name in TABLE, f"{name} is read in src/ but missing from the README table"
    if "envsecret" in READ_IN_SOURCE[name]:
        assert f"`{name}_FILE`" in TABLE[name].split("|")[1], f"{name}_FILE is not documented"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_documented_variable_is_read(name: str) -> None:
    base = name.removesuffix("_FILE")
    if name != base:
        assert "envsecret" in READ_IN_SOURCE.get(base, set()), f"{base} has no _FILE form"
    else:
        assert name in READ_IN_SOURCE, f"the README documents {name}, which nothing reads"
