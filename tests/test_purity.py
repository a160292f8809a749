"""The clinical core and the pure CLI commands never load Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import kratom_recovery.care
from kratom_recovery.cli import COMMANDS, main

PURE_COMMANDS = ("instruments", "score", "timeline", "taper", "triage")


def care_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(kratom_recovery.care.__path__, "kratom_recovery.care.")
    ]


def test_care_and_pure_commands_do_not_import_django() -> None:
    modules = [*care_modules(), "kratom_recovery.charts", "kratom_recovery.cli",
               *(f"kratom_recovery.commands.{COMMANDS[c]}" for c in PURE_COMMANDS)]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
    assert len(modules) > 10


@pytest.mark.parametrize("command", PURE_COMMANDS)
def test_pure_command_help_runs_without_django(command: str) -> None:
    code = (
        "import sys\nfrom kratom_recovery.cli import main\n"
        f"try:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "print(any(m.startswith('django') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("False")
    assert "usage: kratom-recovery " + command in result.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("kratom-recovery 0.")


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in COMMANDS:
        if command == "manage":
            continue
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "usage: kratom-recovery" in capsys.readouterr().out
