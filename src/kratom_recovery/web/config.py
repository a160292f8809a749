"""Environment-driven configuration helpers that fail loudly (12-factor)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

from kratom_recovery.process import private_folder

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RuntimeError(f"{name} must be one of {sorted(TRUE | FALSE)}, got {raw!r}")


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def data_home() -> Path:
    """The data folder (database, secret key, logs), 0700. KRATOM_RECOVERY_HOME overrides."""
    raw = os.environ.get("KRATOM_RECOVERY_HOME")
    home = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("kratom-recovery"))
    return private_folder(home)


def sqlite_files(database: Path) -> list[Path]:
    """The SQLite database and the companion files that hold its data too (WAL mode)."""
    return [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]


def secret_key(home: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if value := os.environ.get("SECRET_KEY"):
        if len(value) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters")
        return value
    path = home / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


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
