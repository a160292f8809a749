"""The `kratom-recovery` command line: one front door for people and scripts.

Each subcommand lives in `kratom_recovery.commands.<module>` and exposes HELP, add_arguments()
and run(). Pure commands (score, taper, timeline, triage, instruments) never import Django, so
they start fast; web commands import it inside run().
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from functools import partial

from kratom_recovery import __version__
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.process import private_process

# typing.TYPE_CHECKING without importing typing, which costs the pure commands' start-up; mypy
# treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType

# subcommand name -> module under kratom_recovery.commands
COMMANDS: dict[str, str] = {
    "instruments": "instruments",
    "score": "score",
    "timeline": "timeline",
    "taper": "taper",
    "triage": "triage",
    "serve": "web_serve",
    "demo": "web_demo",
    "createuser": "web_createuser",
    "patients": "web_patients",
    "manage": "web_manage",
    "export": "web_export",
    "send-reminders": "web_send_reminders",
    "safety-sweep": "web_safety_sweep",
    "worker": "web_worker",
    "token": "web_tokens",
    "backup": "web_backup",
    "2fa": "web_2fa",
    "audit": "web_audit",
}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"kratom_recovery.commands.{COMMANDS[name]}")


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns` (COLUMNS, else the terminal, else 80), without
    importing shutil: argparse imports it for every formatter it makes, and with it zlib, bz2
    and lzma, a fifth of a pure command's start-up budget."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout else 0
        except (ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


def sized(
    formatter: type[argparse.HelpFormatter], columns: int
) -> partial[argparse.HelpFormatter]:
    """`formatter` at the width argparse would choose itself (the columns less 2)."""
    return partial(formatter, width=columns - 2)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that subcommand's module is imported (fast start)."""
    columns = terminal_columns()
    parser = argparse.ArgumentParser(
        prog="kratom-recovery",
        description="Support for stopping kratom: screening, withdrawal, tapering, recovery.",
        formatter_class=sized(argparse.HelpFormatter, columns),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is not None and name != only:
            continue  # each parser costs argparse's translation look-ups at start-up
        module = load(name)
        formatter = getattr(module, "FORMATTER", argparse.HelpFormatter)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP,
                                 formatter_class=sized(formatter, columns))
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    private_process()  # whatever a command writes (database, logs, exports) is ours alone
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    only = first if first in COMMANDS else None
    parser = build_parser(only)
    if only == "manage":  # pass everything after `manage` to Django untouched
        rest = args_list[args_list.index("manage") + 1 :]
        return reported("manage", lambda: load("manage").run_raw(rest))
    args = parser.parse_args(args_list)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    return reported(args.command, lambda: args.run(args))


def reported(command: str, run: Callable[[], int]) -> int:
    """Run a command; bad input (a value, a setting, a path) is one line and exit status 2."""
    try:
        return int(run())
    except InvalidInput as error:  # also a setting that is not allowed (web.config.ConfigError)
        print(f"kratom-recovery {command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, and keep the interpreter's final
        # flush of stdout from failing again with a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process ended by SIGPIPE (128 + 13)
    except OSError as error:
        if error.filename is None:  # not about a path (e.g. a refused network connection)
            raise
        # A path the person gave (an --output, a file to read, the data folder): name it.
        print(f"kratom-recovery {command}: {error.filename}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 2
