"""Refresh and compile the Spanish catalogue: `make messages` (needs GNU gettext).

Only what a patient can reach is extracted: staff pages are served in English
(middleware.AccountLanguageMiddleware), so their strings would only be untranslated noise. The
core's words come from core_text, written for the extractor to a scratch module that is
removed afterwards. The catalogue is sorted by message and carries file names without line
numbers, so two people adding strings rarely touch the same lines; the compiled .mo is
committed, so a `pip install` serves Spanish without gettext.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]
CATALOGUE = WEB / "locale" / "es" / "LC_MESSAGES" / "django.po"
SCRATCH = WEB / "_core_strings.py"

# Staff-only sources, relative to web/. Everything else is patient-facing or shared.
STAFF_ONLY = (
    # "name/*" would also skip every folder called name (templates/api too): match files.
    "api/endpoints/*", *(f"api/{name}.py" for name in (
        "api", "apps", "auth", "docs", "errors", "middleware", "models", "pagination",
        "schemas")),
    *(f"notify/{name}.py" for name in (
        "apps", "channels", "context", "delivery", "health", "jobs", "models", "outbox",
        "panels", "views")),
    "audit/*.py", "bedside/*.py", "clinic/*.py", "program/*.py",
    "templates/notify/banner.html", "templates/notify/alert_deliveries.html",
    "exports/discharge.py", "followup/moud/*.py", "templates/exports/discharge_*",
    "templates/followup/moud*", "templates/safety/plan/risk.html",
    "templates/safety/plan/alert_section.html",
    "locale/*", "static/*", "demo.py", "*/migrations/*", "*chart*",
    "templates/api/docs.html", "templates/audit/*", "templates/bedside/*", "templates/clinic/*",
    "templates/program/*",
    "templates/exports/program.html", "templates/followup/admin_directory.html",
    "templates/followup/import.html",
    "templates/safety/alert.html", "templates/safety/caseload_alerts.html",
    "templates/tapers/clinic_index.html",
)


def write_scratch() -> None:
    from kratom_recovery.web.common.core_text import core_strings

    lines = ["from django.utils.translation import gettext_noop", ""]
    lines += [f"gettext_noop({text!r})" for text in core_strings()]
    SCRATCH.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    write_scratch()
    try:
        os.chdir(WEB)
        call_command("makemessages", locale=["es"], ignore_patterns=list(STAFF_ONLY),
                     add_location="file", no_wrap=True, no_obsolete=True, verbosity=0)
    finally:
        SCRATCH.unlink(missing_ok=True)
    subprocess.run(["msgattrib", "--sort-output", "--no-wrap", "--no-obsolete",
                    "-o", str(CATALOGUE), str(CATALOGUE)], check=True)
    # The extraction date changes on every run and would make every refresh a conflict.
    text = CATALOGUE.read_text(encoding="utf-8")
    CATALOGUE.write_text(re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text), encoding="utf-8")
    call_command("compilemessages", locale=["es"], verbosity=0)


if __name__ == "__main__":
    main()
