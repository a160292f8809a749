"""The data folder is private: folders 0700, the database, its companions and logs 0600.

The folder used to be 0755 and the SQLite database, its -wal/-shm and the logs 0644, so any
account on the machine could read everyone's health data. Each command and
`serve` run with umask 0o077, and files left readable by an older version are tightened at
start. SQLite only: PostgreSQL keeps its files itself; the run is the same in both passes.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.support.serve import get, run_cli, serving

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                       reason="SQLite's files; the PostgreSQL pass would repeat the same run"),
]


def sqlite_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "KRATOM_RECOVERY_HOME": str(home), "PW": "a-long-clinician-password"}
    env.pop("DATABASE_URL", None)
    return env


def readable_by_others(home: Path) -> list[str]:
    """Everything under `home` (itself included) that group or others may read or enter."""
    paths = [home, *home.rglob("*")]
    return [f"{path.relative_to(home.parent)} {stat.filemode(path.stat().st_mode)}"
            for path in paths if path.exists() and path.stat().st_mode & 0o077]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_command_creates_a_private_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = sqlite_env(home)
    run_cli(env, "createuser", "dana", "--role", "clinician", "--password-env", "PW")
    assert mode(home) == 0o700
    assert (mode(home / "logs"), mode(home / "static")) == (0o700, 0o700)
    for name in ("kratom-recovery.sqlite3", "secret_key"):
        assert mode(home / name) == 0o600, name
    assert not (home / "logs/app.log").exists()  # opened at the first record, 0600 then
    assert readable_by_others(home) == []


def test_serve_tightens_old_files_and_keeps_its_own_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = sqlite_env(home)
    run_cli(env, "createuser", "dana", "--role", "clinician", "--password-env", "PW")
    token = run_cli(env, "token", "create", "dana", "--name", "modes").strip()
    # As an older version left them.
    (home / "logs/app.log").write_text("an older line\n")
    for path, loose in ((home, 0o755), (home / "logs", 0o755),
                        (home / "kratom-recovery.sqlite3", 0o644), (home / "logs/app.log", 0o644)):
        path.chmod(loose)
    with serving(env, tmp_path / "serve.out", workers=2) as base:
        status, _, body = get(f"{base}/api/v1/me", {"Authorization": f"Bearer {token}"})
        assert (status, json.loads(body)["username"]) == (200, "dana")  # a read and a write
        status, _, _ = get(f"{base}/no-such-page/")  # a warning for the log file
        assert status == 404
        assert readable_by_others(home) == []  # -wal and -shm too, while they exist
    assert (home / "logs/app.log").stat().st_size > 0
    assert readable_by_others(home) == []
