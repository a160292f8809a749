"""Settings: helpers that fail loudly, secrets from files, and no folder made at import.

Importing the settings used to create the data folder, logs/, static/ and the secret key,
and configuring logging opened app.log: any tool that imported them (mypy, a linter, a
`django-admin` typo with the wrong KRATOM_RECOVERY_HOME) left folders behind. Now only the
entry points make the folder, through config.prepare_data_home().
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kratom_recovery.web.config import (
    ConfigError,
    envbool,
    envint,
    envsecret,
    prepare_data_home,
    secret_key,
)
from tests.support.serve import run_cli, scratch_postgres

STRONG = "a-strong-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # 55 characters
PRINT_SETTINGS = """
import json, sys
import django
from django.conf import settings
django.setup()  # configures logging too
names = sys.argv[1:]
print(json.dumps({name: str(getattr(settings, name)) for name in names}))
"""


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without any of the settings' variables."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_", "SECRET_KEY", "EMAIL_", "RESEARCH_SALT",
                                  "SECURE_", "LOG_LEVEL", "WEB_CONCURRENCY"))}
    return {**env, "KRATOM_RECOVERY_HOME": str(home),
            "DJANGO_SETTINGS_MODULE": "kratom_recovery.web.settings", **extra}


def run_python(env: dict[str, str], code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def settings_in(env: dict[str, str], *names: str) -> dict[str, str]:
    import json

    result = run_python(env, PRINT_SETTINGS, *names)
    assert result.returncode == 0, result.stderr
    values: dict[str, str] = json.loads(result.stdout)
    return values


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# envint, envsecret, envbool --------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (None, 7), ("", 7), ("  ", 7), ("0", 0), ("12", 12), (" 12 ", 12), ("100", 100),
])
def test_envint_reads_whole_numbers_in_range(monkeypatch: pytest.MonkeyPatch, raw: str | None,
                                             expected: int) -> None:
    if raw is None:
        monkeypatch.delenv("HF_NUMBER", raising=False)
    else:
        monkeypatch.setenv("HF_NUMBER", raw)
    assert envint("HF_NUMBER", 7, low=0, high=100) == expected


@pytest.mark.parametrize("raw", ["-1", "101", "1.5", "ten", "1e3", "0x10"])
def test_envint_refuses_what_is_not_allowed_naming_it(monkeypatch: pytest.MonkeyPatch,
                                                      raw: str) -> None:
    monkeypatch.setenv("HF_NUMBER", raw)
    with pytest.raises(ConfigError) as error:
        envint("HF_NUMBER", 7, low=0, high=100)
    assert str(error.value) == f"HF_NUMBER: must be a whole number from 0 to 100, got {raw!r}"


def test_envbool_names_the_variable_and_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_FLAG", "maybe")
    with pytest.raises(ConfigError, match=r"^HF_FLAG: must be one of 0, 1, false, no, off, on, "
                                          r"true, yes, got 'maybe'$"):
        envbool("HF_FLAG", False)


def test_envsecret_from_the_variable_the_file_or_the_default(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HF_SECRET", raising=False)
    monkeypatch.delenv("HF_SECRET_FILE", raising=False)
    assert envsecret("HF_SECRET", "fallback") == "fallback"
    monkeypatch.setenv("HF_SECRET", "from-env")
    assert envsecret("HF_SECRET", "fallback") == "from-env"
    monkeypatch.delenv("HF_SECRET")
    secret = tmp_path / "secret"
    secret.write_text("  from-file\n")
    monkeypatch.setenv("HF_SECRET_FILE", str(secret))
    assert envsecret("HF_SECRET", "fallback") == "from-file"
    monkeypatch.setenv("HF_SECRET", "")  # empty counts as unset (compose files write these)
    assert envsecret("HF_SECRET", "fallback") == "from-file"


def test_envsecret_refuses_both_forms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("from-file")
    monkeypatch.setenv("HF_SECRET", "from-env")
    monkeypatch.setenv("HF_SECRET_FILE", str(tmp_path / "secret"))
    with pytest.raises(ConfigError, match=r"^HF_SECRET: set HF_SECRET or HF_SECRET_FILE, "
                                          r"not both$"):
        envsecret("HF_SECRET", "")


@pytest.mark.parametrize("make", ["missing", "folder", "unreadable", "binary"])
def test_envsecret_names_the_variable_and_the_file_it_cannot_read(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make: str) -> None:
    path = tmp_path / "secret"
    if make == "folder":
        path.mkdir()
    elif make == "unreadable":
        path.write_text("x")
        path.chmod(0)
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who may read any file")
    elif make == "binary":
        path.write_bytes(b"\xff\xfe\x00")
    monkeypatch.delenv("HF_SECRET", raising=False)
    monkeypatch.setenv("HF_SECRET_FILE", str(path))
    with pytest.raises(ConfigError) as error:
        envsecret("HF_SECRET", "")
    assert error.value.field == "HF_SECRET_FILE"
    assert str(path) in str(error.value)


# Secret key and the data folder ------------------------------------------------------------


@pytest.mark.parametrize("key", ["short", "k" * 40, "abcd" * 20, "django-insecure-" + STRONG])
def test_a_weak_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      key: str) -> None:
    """Django's deploy check (security.W009): 50 characters, 5 different, not its placeholder."""
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    with pytest.raises(ConfigError, match=r"^SECRET_KEY: must be "):
        secret_key(tmp_path)


def test_a_weak_key_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    (tmp_path / "secret_key").write_text("x" * 60)
    with pytest.raises(ConfigError, match="delete it to have a new key made"):
        secret_key(tmp_path)


def test_a_strong_key_is_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    assert secret_key(tmp_path) == STRONG


def test_preparing_makes_private_folders_and_one_key_even_when_processes_race(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("KRATOM_RECOVERY_HOME", str(home))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    keys: list[str] = []

    def start() -> None:
        keys.append(secret_key(prepare_data_home()))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) >= 50
    assert len(set(keys[0])) >= 5  # the generated key passes the rule it is held to
    assert sorted(p.name for p in home.iterdir()) == ["logs", "secret_key", "static"]
    assert (mode(home), mode(home / "logs"), mode(home / "static")) == (0o700,) * 3
    assert mode(home / "secret_key") == 0o600


def test_preparing_with_a_given_key_writes_none(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setenv("KRATOM_RECOVERY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SECRET_KEY", STRONG)
    assert not (prepare_data_home() / "secret_key").exists()


def test_importing_the_settings_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "not-yet"
    values = settings_in(clean_env(home), "LOG_DIR", "STATIC_ROOT", "DEBUG")
    assert not home.exists()  # nor logs/, static/, the key or app.log
    assert values == {"LOG_DIR": str(home / "logs"), "STATIC_ROOT": str(home / "static"),
                      "DEBUG": "False"}


def test_without_an_entry_point_django_refuses_to_sign(tmp_path: Path) -> None:
    """No throwaway key: a process that skipped prepare_data_home() cannot sign anything."""
    code = ("import django\nfrom django.core import signing\ndjango.setup()\n"
            "signing.dumps('x')\n")
    result = run_python(clean_env(tmp_path / "not-yet"), code)
    assert result.returncode == 1
    assert "The SECRET_KEY setting must not be empty" in result.stderr
    assert not (tmp_path / "not-yet").exists()


def test_logging_opens_the_log_file_at_the_first_record(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_env(home)
    run_python(env, "from kratom_recovery.web.config import prepare_data_home as p; p()")
    code = ("import django, logging\ndjango.setup()\n"
            "import pathlib, sys\nlog = pathlib.Path(sys.argv[1])\nprint(log.exists())\n"
            "logging.getLogger('hf').warning('first record')\nprint(log.exists())\n")
    result = run_python(env, code, str(home / "logs" / "app.log"))
    assert result.stdout.split() == ["False", "True"], result.stderr
    assert mode(home / "logs" / "app.log") == 0o600


@pytest.mark.parametrize("module", ["kratom_recovery.web.wsgi", "kratom_recovery.web.asgi"])
def test_other_servers_get_the_folder_from_wsgi_and_asgi(tmp_path: Path, module: str) -> None:
    home = tmp_path / "home"
    result = run_python(clean_env(home), f"import {module}")
    assert result.returncode == 0, result.stderr
    assert (mode(home), mode(home / "logs"), mode(home / "static")) == (0o700,) * 3
    assert mode(home / "secret_key") == 0o600


# Secrets and numbers reach the settings ------------------------------------------------------


def test_secret_settings_are_read_from_files(tmp_path: Path) -> None:
    files = {"SECRET_KEY": STRONG, "RESEARCH_SALT": "a-research-salt",
             "EMAIL_HOST_PASSWORD": "smtp-password",
             "DATABASE_URL": "postgres://app@db.example:5432/recovery",
             "DATABASE_PASSWORD": "db-password"}
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
    env = clean_env(tmp_path / "home", **{f"{name}_FILE": str(tmp_path / name) for name in files})
    code = ("import django, json\nfrom django.conf import settings\ndjango.setup()\n"
            "db = settings.DATABASES['default']\n"
            "print(json.dumps([settings.SECRET_KEY, settings.RESEARCH_SALT,\n"
            "                  settings.EMAIL_HOST_PASSWORD, db['HOST'], db['NAME'],"
            " db['PASSWORD']]))\n")
    result = run_python(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f'["{STRONG}", "a-research-salt", "smtp-password", "db.example", "recovery", '
        '"db-password"]')


def test_smtp_and_security_numbers_come_from_the_environment(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", EMAIL_HOST="mail.example", EMAIL_PORT="587",
                    EMAIL_HOST_USER="care", EMAIL_USE_TLS="yes", BEHIND_HTTPS_PROXY="true")
    assert settings_in(env, "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS",
                       "SECURE_HSTS_SECONDS") == {
        "EMAIL_HOST": "mail.example", "EMAIL_PORT": "587", "EMAIL_HOST_USER": "care",
        "EMAIL_USE_TLS": "True", "SECURE_HSTS_SECONDS": "31536000"}
    env["SECURE_HSTS_SECONDS"] = "0"
    assert settings_in(env, "SECURE_HSTS_SECONDS") == {"SECURE_HSTS_SECONDS": "0"}


@pytest.mark.parametrize(("name", "raw", "message"), [
    ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS: must be a whole number from 0 to "
                                      "63072000, got 'a year'"),
    ("EMAIL_PORT", "70000", "EMAIL_PORT: must be a whole number from 1 to 65535, got '70000'"),
    ("LOG_LEVEL", "loud", "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
                          "got 'loud'"),
    ("SECRET_KEY", "too-short", "SECRET_KEY: must be at least 50 characters with at least 5 "
                                "different ones"),
    ("RESEARCH_SALT_FILE", "/no/such/salt", "RESEARCH_SALT_FILE: cannot read /no/such/salt: "
                                            "No such file or directory"),
])
def test_a_bad_setting_stops_a_command_with_its_name(tmp_path: Path, name: str, raw: str,
                                                     message: str) -> None:
    env = clean_env(tmp_path / "home", **{name: raw})
    result = subprocess.run([sys.executable, "-m", "kratom_recovery", "patients"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kratom-recovery patients: {message}\n"


def test_manage_reports_a_bad_setting_the_same_way(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", LOG_LEVEL="loud")
    result = subprocess.run([sys.executable, "-m", "kratom_recovery", "manage", "check"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("kratom-recovery manage: LOG_LEVEL: must be one of ")


def test_serve_checks_its_worker_count(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", WEB_CONCURRENCY="lots")

    def serve(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kratom_recovery", "serve", *argv],
                              env=env, capture_output=True, text=True, timeout=60, check=False)

    help_text = serve("--help")
    assert help_text.returncode == 0 and "WEB_CONCURRENCY" in help_text.stdout
    bad_env = serve("--no-migrate")
    assert (bad_env.returncode, bad_env.stderr) == (
        2, "kratom-recovery serve: WEB_CONCURRENCY: must be a whole number from 1 to 128, "
           "got 'lots'\n")
    bad_option = serve("--workers", "0")
    assert bad_option.returncode == 2
    assert "--workers: must be a whole number from 1 to 128, got '0'" in bad_option.stderr
    assert not (tmp_path / "home").exists()  # refused before anything was made


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL")
def test_the_database_url_can_come_from_a_file(tmp_path: Path) -> None:
    with scratch_postgres(os.environ["DATABASE_URL"]) as url:
        (tmp_path / "url").write_text(url + "\n")
        env = clean_env(tmp_path / "home", DATABASE_URL_FILE=str(tmp_path / "url"))
        run_cli(env, "manage", "migrate", "--verbosity", "0")
        assert run_cli(env, "patients", "--format", "json").strip() == "[]"
        assert not (tmp_path / "home" / "kratom-recovery.sqlite3").exists()
