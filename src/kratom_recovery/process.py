"""Process rules shared by every entry point that serves or writes: CLI, `serve`, workers.

1. Private files. Health data lives in the data folder, so everything we create there is
   ours alone: umask 0o077, folders 0700, files 0600.
2. No database connection crosses a fork. A forked child that reuses its parent's socket
   interleaves its queries with its siblings', and one person is answered with another's
   rows. A server or background worker (gunicorn, a Huey consumer) calls
   `before_fork()` in the parent before each fork and `after_fork()` first in each child.

Pure at import: the fast CLI commands load this without Django.
"""

from __future__ import annotations

import contextlib
import os
import sys

# typing.TYPE_CHECKING without importing typing, which costs the pure commands' start-up; mypy
# treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # only in annotations: pathlib costs the pure commands' start-up
    from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_process() -> None:
    """Files and folders this process creates from now on are readable by its user only."""
    os.umask(PRIVATE_UMASK)


def private_folder(path: Path) -> Path:
    """Create `path` (and parents) if missing, and make it 0700 if it is not."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != FOLDER_MODE:
        path.chmod(FOLDER_MODE)
    return path


def private_files(*paths: Path) -> None:
    """Tighten existing files to 0600 (files made before this rule, or under another umask)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o777 != FILE_MODE:
                path.chmod(FILE_MODE)


def close_database_connections() -> None:
    """Close every Django database connection this thread holds (none before Django is set up)."""
    if "django.db" not in sys.modules:
        return
    from django.conf import settings

    if not settings.configured:
        return
    from django.db import connections

    connections.close_all()


def before_fork() -> None:
    """In the parent, before it forks: nothing for the child to inherit."""
    close_database_connections()


def after_fork() -> None:
    """First thing in a forked child: private files, and its own connections from scratch."""
    private_process()
    close_database_connections()
