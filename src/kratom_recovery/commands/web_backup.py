"""`kratom-recovery backup`: a consistent copy of the database while the app keeps running.

SQLite: the online backup API copies a snapshot page by page (no need to stop the server),
then the copy is checked with `PRAGMA integrity_check`. PostgreSQL: `pg_dump` in its custom
format (restore with `pg_restore`). The backup holds health data: it is written with
owner-only permissions; keep it encrypted at rest (docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kratom_recovery.care.errors import InvalidInput

HELP = "back up the database (SQLite snapshot or pg_dump) into the data folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path,
                        help="file to write (default: <data folder>/backups/<timestamp>…)")


def default_path(home: Path, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return home / "backups" / f"kratom-recovery-{stamp}{suffix}"


def backup_sqlite(connection: sqlite3.Connection, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        copy = sqlite3.connect(target)
        try:
            connection.backup(copy)
            (status,) = copy.execute("PRAGMA integrity_check").fetchone()
        finally:
            copy.close()
        if status != "ok":
            raise InvalidInput("backup", f"the copy failed its integrity check: {status}")
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written copy that looks like a backup
        raise


def backup_postgres(db: dict[str, Any], target: Path) -> None:
    """pg_dump of the database Django is connected to (its settings, not a raw URL)."""
    if shutil.which("pg_dump") is None:
        raise InvalidInput("backup", "pg_dump is not installed (apt-get install postgresql-client)")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    command = ["pg_dump", "--format=custom", "--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    env = {**os.environ, **({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})}
    with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, env=env,
                                check=False)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise InvalidInput("backup", "pg_dump failed: " + result.stderr.decode()[-300:].strip())


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import setup

    setup()
    from django.conf import settings
    from django.db import connection

    home = Path(settings.DATA_HOME)
    if connection.vendor == "sqlite":
        target = args.output or default_path(home, ".sqlite3")
        if target.exists():
            raise InvalidInput("--output", f"{target} already exists")
        connection.ensure_connection()
        backup_sqlite(connection.connection, target)
    elif connection.vendor == "postgresql":
        target = args.output or default_path(home, ".pgdump")
        if target.exists():
            raise InvalidInput("--output", f"{target} already exists")
        backup_postgres(connection.settings_dict, target)
    else:  # pragma: no cover - only the two supported databases
        raise InvalidInput("DATABASE_URL", f"no backup method for {connection.vendor}")
    print(f"backup written to {target} ({target.stat().st_size} bytes)")
    return 0
