"""No database connection crosses gunicorn's fork.

`serve` used to migrate in the master and keep the connection: every worker inherited the
same PostgreSQL socket, and for about a minute after start people were answered with one
another's data (pat's token answered as jordan), with 500s and false 401/403/404 between.
Here several people call at once, right after start, against the real server, on the
database of the pass (a scratch PostgreSQL database, or SQLite).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.support.serve import get, run_cli, server_env, serving

pytestmark = pytest.mark.timeout(180)

PATIENTS = ("pat", "sam", "alex", "jordan")  # `demo --patients 4`, on cleo's caseload
THREADS = 8
ROUNDS = 12


def check_caller(base: str, username: str, token: str, patient_ids: dict[str, int]) -> list[str]:
    """Every answer for this caller is about this caller; the wrong ones, described."""
    auth = {"Authorization": f"Bearer {token}"}
    wrong: list[str] = []
    for _ in range(ROUNDS):
        status, _, body = get(f"{base}/api/v1/me", auth)
        me: dict[str, Any] = json.loads(body) if status == 200 else {}
        if me.get("username") != username:
            wrong.append(f"{username} /me -> {status} {me.get('username')}")
        if username in patient_ids:
            own = patient_ids[username]
            status, _, body = get(f"{base}/api/v1/patients/{own}", auth)
            if status != 200 or json.loads(body)["id"] != own:
                wrong.append(f"{username} /patients/{own} -> {status} {body[:80]!r}")
        else:
            status, _, body = get(f"{base}/api/v1/patients", auth)
            rows = json.loads(body)["items"] if status == 200 else []
            ids = sorted(row["id"] for row in rows)
            if ids != sorted(patient_ids.values()):
                wrong.append(f"{username} /patients -> {status} {ids}")
    return wrong


def test_concurrent_callers_get_their_own_answers_right_after_start(tmp_path: Path) -> None:
    with server_env(tmp_path / "home") as env:
        run_cli(env, "demo", "--patients", str(len(PATIENTS)))
        tokens = {name: run_cli(env, "token", "create", name, "--name", "fork test").strip()
                  for name in (*PATIENTS, "cleo")}
        listed = json.loads(run_cli(env, "patients", "--format", "json"))
        patient_ids = {row["display_name"].lower(): row["id"] for row in listed}
        assert sorted(patient_ids) == sorted(PATIENTS)

        callers = [list(tokens.items())[i % len(tokens)] for i in range(THREADS)]
        results: list[list[str]] = [[] for _ in callers]
        start = threading.Barrier(len(callers))

        def call(index: int) -> None:
            username, token = callers[index]
            start.wait(timeout=30)
            try:
                results[index] = check_caller(base, username, token, patient_ids)
            except Exception as error:  # a crash in a thread is a failure, not a hang
                results[index] = [f"{username}: {error!r}"]

        with serving(env, tmp_path / "serve.out", workers=3) as base:
            threads = [threading.Thread(target=call, args=(i,)) for i in range(len(callers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert not any(thread.is_alive() for thread in threads)
    wrong = [line for result in results for line in result]
    assert wrong == [], f"{len(wrong)} wrong answers, e.g. {wrong[:5]}"
