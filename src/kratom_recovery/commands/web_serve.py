"""`kratom-recovery serve`: migrate, then serve with gunicorn's sync workers.

Sync workers, not threads: on SQLite a thread pool queues on the single write lock and
its p99 suffers (measured in ../shared/STACK.md); separate worker processes do not.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

HELP = "serve the web app with a production-grade server (gunicorn)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="worker processes (default 2, or WEB_CONCURRENCY)",
    )
    parser.add_argument("--no-migrate", action="store_true", help="skip migrations at start")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup

    setup()
    if not args.no_migrate:
        migrate()
    from gunicorn.app.base import BaseApplication

    from kratom_recovery.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{args.host}:{args.port}",
                "workers": args.workers,
                "worker_class": "sync",
                "timeout": 30,
                "accesslog": None,
                "errorlog": "-",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(f"kratom-recovery: serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    Server().run()
    return 0
