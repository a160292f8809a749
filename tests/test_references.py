"""Every source is cited inside the repository: `[ref:KEY]` keys resolve in docs/references.md.

Code, docs, templates and tests cite a source by its key, never by a section of a document that
is not in the repository, an issue number or a style-rule number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kratom_recovery.care.references import CITATION, LABELS, readable

ROOT = Path(__file__).resolve().parents[1]
BIBLIOGRAPHY = ROOT / "docs" / "references.md"
THIS = Path(__file__).resolve()
UPCOMING = "kept for upcoming work"

ENTRY = re.compile(r"^### `([^`]+)`$", re.MULTILINE)
ASSUMPTION_ROW = re.compile(r"^\| `(assumption:[^`]+)` \|", re.MULTILINE)
# Anything that looks like a citation, so a misspelt one ("[ref: Rogers 2024]") is caught too.
CITATION_LIKE = re.compile(r"\[ref:[^\]\n]*\]")
PLACEHOLDERS = {"[ref:KEY]", "[ref:NAME]", "[ref:assumption:NAME]"}
SYNTAX = ROOT / "src" / "kratom_recovery" / "care" / "references.py"  # defines the pattern

# Pointers that only make sense to someone holding documents outside the repository. Built from
# parts so this file does not match itself.
OUTSIDE = {
    "a section of the old clinical notes": re.compile(r"\bREF( §| SUMMARY| addendum)"),
    "a path outside the repository": re.compile(r"\.\./" + r"shared|\bshared/(clinical|product)/"),
    "a file outside the repository": re.compile(r"\b(REFERENCE|STACK|PEERS|STYLE)\.md\b"),
}
# In the source tree, comments say the reason instead of pointing to a ticket or a rule number.
POINTERS = {
    "the old clinical notes by name": re.compile(r"\bREF\b"),
    "an issue number": re.compile(r"\bissues? #?\d+", re.IGNORECASE),
    "a style-rule number": re.compile(r"\bSTYLE rules? \d+"),
}


def _entries() -> dict[str, str]:
    """Each bibliography key with the text of its entry."""
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    matches = list(ENTRY.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return {m.group(1): text[m.end():end] for m, end in zip(matches, ends, strict=True)}


ENTRIES = _entries()
ASSUMPTIONS = set(ASSUMPTION_ROW.findall(BIBLIOGRAPHY.read_text(encoding="utf-8")))
KEYS = set(ENTRIES) | ASSUMPTIONS


def _files() -> Iterator[Path]:
    """Source, templates, docs, tests, benchmarks and the README: where citations live."""
    for folder in ("src", "docs", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*")):
            if (path.is_file() and path.suffix in (".py", ".md", ".html", ".txt")
                    and "egg-info" not in path.as_posix() and path.resolve() != THIS):
                yield path
    yield ROOT / "README.md"


FILES = list(_files())
TEXTS = {path: path.read_text(encoding="utf-8") for path in FILES}


def _where(path: Path, text: str, index: int) -> str:
    return f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, index) + 1}"


def test_bibliography_parses() -> None:
    assert len(ENTRIES) >= 40 and "assumptions" in ENTRIES
    assert len(ASSUMPTIONS) >= 10
    for key, body in ENTRIES.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", key), key
        if key != "assumptions":
            assert "**Status:**" in body and "**We take:**" in body, key


def test_screen_labels_cover_exactly_the_bibliography() -> None:
    assert set(LABELS) == set(ENTRIES)
    assert all(label.strip() for label in LABELS.values())


def test_every_citation_is_well_formed_and_resolves() -> None:
    bad = []
    for path, text in TEXTS.items():
        if path == SYNTAX:
            continue
        for match in CITATION_LIKE.finditer(text):
            written = match.group(0)
            if written in PLACEHOLDERS:
                continue
            key = CITATION.fullmatch(written)
            if key is None or key.group(1) not in KEYS:
                bad.append(f"{_where(path, text, match.start())}: {written}")
    assert bad == []


def test_every_entry_is_cited_or_kept_for_upcoming_work() -> None:
    cited = {
        key
        for path, text in TEXTS.items()
        if path not in (BIBLIOGRAPHY, SYNTAX)
        for key in CITATION.findall(text)
    }
    uncited = [key for key, body in ENTRIES.items() if key not in cited and UPCOMING not in body]
    assert uncited == []


@pytest.mark.parametrize("what", sorted(OUTSIDE))
def test_nothing_points_outside_the_repository(what: str) -> None:
    pattern = OUTSIDE[what]
    found = [f"{_where(path, text, m.start())}: {m.group(0)}"
             for path, text in TEXTS.items() for m in pattern.finditer(text)]
    assert found == [], what


@pytest.mark.parametrize("what", sorted(POINTERS))
def test_source_comments_give_reasons_not_ticket_or_rule_numbers(what: str) -> None:
    pattern = POINTERS[what]
    found = [f"{_where(path, text, m.start())}: {m.group(0)}"
             for path, text in TEXTS.items() if path.is_relative_to(ROOT / "src")
             for m in pattern.finditer(text)]
    assert found == [], what


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[ref:rogers2024] (mean SOWS 13.5)", "Rogers et al. 2024 (mean SOWS 13.5)"),
        ("[ref:wesson-ling2003] and [ref:hill2024]", "Wesson & Ling 2003 and Hill et al. 2024"),
        ("design rule [ref:assumption:design-rule]", "design rule our assumption"),
        ("no citation here", "no citation here"),
        ("[ref:not-a-key] stays", "[ref:not-a-key] stays"),
    ],
)
def test_readable_shows_labels(text: str, shown: str) -> None:
    assert readable(text) == shown
