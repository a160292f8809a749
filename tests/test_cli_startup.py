"""The pure commands start fast: what they do not need is imported where it is used, not at
start-up (bench/cli_startup.py times them; this keeps the imports from creeping back)."""

from __future__ import annotations

import subprocess
import sys

import pytest

TAPER = ["taper", "--amount", "15", "--unit", "g", "--product", "leaf", "--doses-per-day", "3",
         "--strategy", "percent", "--rate", "10", "--step-days", "7", "--start", "2026-11-01"]
SCORE = ["score", "sows", "--answers", ",".join(["1"] * 16)]
# Loaded only by the paths that need them: OpenSSL (calendar UIDs), pathlib (files), the
# medicine table and its name index (medication tapers), other commands' modules.
NOT_AT_START = ("hashlib", "pathlib", "kratom_recovery.care.interactions",
                "kratom_recovery.care.medicines", "kratom_recovery.commands.web_serve",
                "kratom_recovery.commands.timeline")


@pytest.mark.parametrize("argv", [SCORE, TAPER], ids=["score", "taper"])
def test_pure_commands_leave_heavy_modules_unloaded(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from kratom_recovery.cli import main\n"
        f"status = main({argv!r})\n"
        f"loaded = [m for m in {NOT_AT_START!r} if m in sys.modules]\n"
        "print(status, ','.join(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "0"
