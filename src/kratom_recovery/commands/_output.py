"""Checks on a file a command was asked to write, made before any work is done, so that a
bad path changes nothing (an export that cannot be saved leaves no audit entry)."""

from __future__ import annotations

import os
from pathlib import Path

from kratom_recovery.care.errors import InvalidInput


def check_output(flag: str, path: Path) -> Path:
    """`path` when a file can be written there; otherwise InvalidInput naming flag and path."""
    if path.is_dir():
        raise InvalidInput(flag, f"{path} is a directory; give a file name")
    folder = path.parent
    if not folder.exists():
        raise InvalidInput(flag, f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise InvalidInput(flag, f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(flag, f"cannot write in the folder {folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise InvalidInput(flag, f"cannot write {path}")
    return path
