"""The pure commands start fast: what they do not need is imported where it is used, not at
start-up (bench/cli_startup.py times them; this keeps the imports from creeping back)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

import pytest

from kratom_recovery.cli import sized, terminal_columns

TAPER = ["taper", "--amount", "15", "--unit", "g", "--product", "leaf", "--doses-per-day", "3",
         "--strategy", "percent", "--rate", "10", "--step-days", "7", "--start", "2026-11-01"]
SCORE = ["score", "sows", "--answers", ",".join(["1"] * 16)]
# Loaded by no pure command's usual run: typing (annotations only), shutil and with it zlib,
# bz2 and lzma (argparse's terminal width, read by cli.terminal_columns instead), OpenSSL
# (calendar UIDs), pathlib (files), the medicine table and its name index (medication tapers),
# other commands' modules.
NEVER = ("typing", "shutil", "bz2", "lzma", "hashlib", "pathlib",
         "kratom_recovery.care.interactions", "kratom_recovery.care.medicines",
         "kratom_recovery.commands.web_serve", "kratom_recovery.commands.timeline")
# A kratom plan as a table: no CSV (--checkins), no JSON (--format json), no hold rule
# (check-ins), no adherence (web app), no cautions (medicines and 7-OH), no instruments.
NOT_FOR_TAPER = ("csv", "json", "kratom_recovery.care.taper_holds",
                 "kratom_recovery.care.taper_adherence", "kratom_recovery.care.taper_cautions",
                 "kratom_recovery.care.instruments")
# Scoring SOWS needs SOWS only: no other scale, no item flags or scoring options (PHQ-9's and
# SUD's), no taper, profile, dates or exact fractions.
OTHER_SCALES = tuple(f"kratom_recovery.care.instruments.{m}" for m in (
    "audit_c", "ciwa_ar", "cows", "craving", "daily_extra", "gad7", "phq9", "sud"))
NOT_FOR_SCORE = ("csv", "datetime", "decimal", "fractions", "kratom_recovery.care.taper",
                 "kratom_recovery.care.profile", "kratom_recovery.care.instruments.rules",
                 *OTHER_SCALES)


def loaded_after(argv: list[str], modules: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run the command in a fresh interpreter: (exit status, which of `modules` it loaded)."""
    code = (
        "import sys\n"
        "from kratom_recovery.cli import main\n"
        f"status = main({argv!r})\n"
        f"loaded = [m for m in {modules!r} if m in sys.modules]\n"
        "print(status, ','.join(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    status, _, loaded = result.stderr.strip().splitlines()[-1].partition(" ")
    return status, [m for m in loaded.split(",") if m]


@pytest.mark.parametrize(("argv", "unneeded"), [(SCORE, NOT_FOR_SCORE), (TAPER, NOT_FOR_TAPER)],
                         ids=["score", "taper"])
def test_pure_commands_leave_heavy_modules_unloaded(
    argv: list[str], unneeded: tuple[str, ...]
) -> None:
    assert loaded_after(argv, NEVER + unneeded) == ("0", [])


def test_the_check_sees_a_loaded_module() -> None:
    """The check above can fail: a taper with check-ins loads csv and the check-in type."""
    status, loaded = loaded_after([*TAPER, "--checkins", "/nonexistent.csv"], NOT_FOR_TAPER)
    assert status == "2"  # the file is missing: InvalidInput naming --checkins
    assert loaded == ["csv", "kratom_recovery.care.taper_holds"]
    assert loaded_after([*TAPER, "--format", "json"], NOT_FOR_TAPER) == ("0", ["json"])
    gad7 = ["score", "gad7", "--answers", "0,1,2,3,0,1,2"]  # its answer list is PHQ-9's
    assert loaded_after(gad7, OTHER_SCALES) == ("0", [OTHER_SCALES[5], OTHER_SCALES[6]])


@pytest.mark.parametrize("columns", ["57", "132", "0", "wide", None])
def test_terminal_columns_is_what_argparse_would_read(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("formatter", [argparse.HelpFormatter,
                                       argparse.RawDescriptionHelpFormatter])
@pytest.mark.parametrize("columns", ["40", "100"])
def test_help_wraps_as_argparse_does(
    monkeypatch: pytest.MonkeyPatch, formatter: type[argparse.HelpFormatter], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)

    def parser(formatter_class: argparse._FormatterClass) -> argparse.ArgumentParser:
        made = argparse.ArgumentParser(
            prog="kratom-recovery demo", formatter_class=formatter_class,
            description="A description long enough to be wrapped at forty columns and more.",
            epilog="line one\nline two, which a raw formatter keeps as it is written here",
        )
        made.add_argument("--answers", required=True,
                          help="comma-separated answers in item order, e.g. 1,0,2, many words")
        return made

    ours = parser(sized(formatter, terminal_columns())).format_help()
    assert ours == parser(formatter).format_help()
    # Argument help is wrapped by both; a raw formatter keeps description and epilog as written.
    wrapped = ours.split("options:")[1].split("line one")[0]
    assert max(len(line) for line in wrapped.splitlines()) <= int(columns)
