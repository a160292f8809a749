"""Start Django for the web commands (pure commands never import this)."""

from __future__ import annotations

import os


def setup() -> None:
    """Make the data folder (settings only read it), then set Django up."""
    from kratom_recovery.web.config import prepare_data_home

    prepare_data_home()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)
