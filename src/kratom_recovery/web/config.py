"""Environment-driven configuration helpers that fail loudly (12-factor).

Reading the configuration never touches the disk: tools such as mypy import the settings, and
a misconfigured process should fail before it writes anything. The entry points (the CLI's
web commands, `serve`, wsgi.py, asgi.py, the test run) call `prepare_data_home()` first.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import platformdirs

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.process import private_files, private_folder

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
SQLITE_NAME = "kratom-recovery.sqlite3"
SECRET_KEY_NAME = "secret_key"
FOLDERS = ("logs", "static")  # inside the data folder
MIN_SECRET_KEY = 32  # shared secrets such as ALERT_WEBHOOK_SECRET
MIN_DJANGO_KEY = 50  # SECRET_KEY, as Django's deploy check wants (security.W009): 50 characters,
MIN_DJANGO_KEY_CHARS = 5  # at least 5 of them different


class ConfigError(InvalidInput):
    """An environment variable that cannot be used, naming it and what is allowed.

    An InvalidInput, so the CLI reports it like any bad input (message, exit status 2).
    """


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(name, f"must be one of {', '.join(sorted(TRUE | FALSE - {''}))}, "
                            f"got {raw!r}")


def envint(name: str, default: int, *, low: int, high: int) -> int:
    """A whole number from `low` to `high`; unset or empty means `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value: int | None = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ConfigError(name, f"must be a whole number from {low} to {high}, got {raw!r}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def envsecret(name: str, default: str) -> str:
    """NAME, or the contents of the file NAME_FILE names (stripped), else `default`.

    The file form keeps secrets out of the environment, which other processes and crash
    reports may see (Docker and systemd credentials are files). Empty counts as unset.
    """
    file_name = f"{name}_FILE"
    value, path = os.environ.get(name) or None, os.environ.get(file_name) or None
    if value is not None and path is not None:
        raise ConfigError(name, f"set {name} or {file_name}, not both")
    if path is None:
        return default if value is None else value
    try:
        return Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(file_name, f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(file_name, f"{path} is not UTF-8 text") from None


def data_home() -> Path:
    """The data folder (database, secret key, logs). KRATOM_RECOVERY_HOME overrides."""
    raw = os.environ.get("KRATOM_RECOVERY_HOME")
    return Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("kratom-recovery"))


def sqlite_files(database: Path) -> list[Path]:
    """The SQLite database and the companion files that hold its data too (WAL mode)."""
    return [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]


def secret_key(home: Path) -> str:
    """SECRET_KEY (or SECRET_KEY_FILE), else the key kept in the data folder, else "".

    Only reads: `prepare_data_home()` makes the key. Django refuses an empty key when it
    signs, so a process that skipped the entry points fails instead of using a throwaway key.
    """
    if value := envsecret("SECRET_KEY", ""):
        if problem := weak_key(value):
            raise ConfigError("SECRET_KEY", f"must be {problem}")
        return value
    path = home / SECRET_KEY_NAME
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError("SECRET_KEY", f"cannot read {path}: {error}") from None
    if problem := weak_key(value):
        raise ConfigError("SECRET_KEY", f"{path} must be {problem}; "
                                        "delete it to have a new key made")
    return value


def weak_key(value: str) -> str:
    """What a key lacks ("" when it is strong enough), in the words of Django's deploy check:
    a short or repetitive key makes signed cookies and reset links guessable."""
    if len(value) < MIN_DJANGO_KEY or len(set(value)) < MIN_DJANGO_KEY_CHARS:
        return (f"at least {MIN_DJANGO_KEY} characters with at least {MIN_DJANGO_KEY_CHARS} "
                "different ones")
    if value.startswith("django-insecure-"):
        return "a key of your own, not Django's 'django-insecure-' placeholder"
    return ""


def make_secret_key(path: Path) -> None:
    """Write a new key to `path` (0600) unless one is there; safe when processes race."""
    if path.exists():
        return
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs
            os.link(draft, path)  # atomic: readers see no key or the whole key
    finally:
        draft.unlink()


def prepare_data_home() -> Path:
    """Make the data folder ready for a process that serves or writes; the folder.

    Every entry point calls this before Django reads the settings: the folder, logs/ and
    static/ are 0700, the secret key (made once, unless SECRET_KEY is given) 0600, and files
    an older version left readable are tightened.
    """
    home = private_folder(data_home())
    for name in FOLDERS:
        private_folder(home / name)
    private_files(*sqlite_files(home / SQLITE_NAME), *(home / "logs").glob("*.log*"),
                  home / SECRET_KEY_NAME)
    if not envsecret("SECRET_KEY", ""):
        make_secret_key(home / SECRET_KEY_NAME)
    return home


def served_languages(locale_dir: Path, default: str = "en") -> list[tuple[str, str]]:
    """The default language, plus each language that has a compiled catalogue.

    Offering a language without one serves English pages labelled, say, `lang="es"`, which
    misleads screen readers and translators; a catalogue that lands turns its language on.
    """
    from django.conf.locale import LANG_INFO
    from django.utils.translation import to_language

    found = {to_language(mo.parts[-3]) for mo in locale_dir.glob("*/LC_MESSAGES/django.mo")}
    codes = [default, *sorted(found - {default})]
    return [(code, LANG_INFO.get(code, {}).get("name_local", code)) for code in codes]
