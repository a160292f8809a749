"""The documented production settings pass Django's deploy check; SQLite overwrites what it
deletes (docs/operations.md, docs/data-rights.md)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# docs/operations.md, "Production settings" (the database is whatever the operator uses).
PRODUCTION = {"ALLOWED_HOSTS": "care.example.org", "BEHIND_HTTPS_PROXY": "true",
              "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}


def test_check_deploy_is_clean_in_the_production_settings(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "KRATOM_RECOVERY_HOME": str(tmp_path / "home"),
           "SECRET_KEY": secrets.token_urlsafe(50), **PRODUCTION}
    result = subprocess.run([sys.executable, "-m", "kratom_recovery", "manage", "check",
                             "--deploy", "--fail-level", "WARNING"], env=env,
                            capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="an SQLite setting")
@pytest.mark.django_db
def test_sqlite_overwrites_deleted_rows() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)
