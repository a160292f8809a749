"""`kratom-recovery serve`: migrate, then serve with gunicorn's sync workers.

Sync workers, not threads: on SQLite a thread pool queues on the single write lock and
its p99 suffers (measured on this stack before the project began); worker processes do not.
The master migrates and then closes its database connections, and each worker starts
with none: a connection inherited across the fork is shared by every worker, and their
answers cross between users (see kratom_recovery.process).
"""

from __future__ import annotations

import argparse
from typing import Any

HELP = "serve the web app with a production-grade server (gunicorn)"
MAX_WORKERS = 128


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers", type=worker_count, default=None,
        help=f"worker processes, 1 to {MAX_WORKERS} (default WEB_CONCURRENCY, else 2)",
    )
    parser.add_argument("--no-migrate", action="store_true", help="skip migrations at start")


def worker_count(raw: str) -> int:
    """--workers: a whole number from 1 to MAX_WORKERS."""
    try:
        value: int | None = int(raw)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_WORKERS}, "
                                         f"got {raw!r}")
    return value


def workers(args: argparse.Namespace) -> int:
    """--workers, else WEB_CONCURRENCY (read here, so a bad value cannot break --help)."""
    from kratom_recovery.web.config import envint

    if args.workers is not None:
        return int(args.workers)
    return envint("WEB_CONCURRENCY", 2, low=1, high=MAX_WORKERS)


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn hook, in the master before each fork (also when a worker is replaced)."""
    from kratom_recovery.process import before_fork

    before_fork()


def post_fork(server: Any, worker: Any) -> None:
    """gunicorn hook, first thing in each new worker."""
    from kratom_recovery.process import after_fork

    after_fork()


def options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "bind": f"{args.host}:{args.port}",
        "workers": workers(args),
        "worker_class": "sync",
        "timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "umask": 0o077,  # gunicorn's own temporary files, like ours, are private
        "pre_fork": pre_fork,
        "post_fork": post_fork,
        # gunicorn >= 25.1 opens a control socket in the home folder; we do not use it, and
        # two servers on one machine would contend for the same path.
        "control_socket_disable": True,
    }


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup
    from kratom_recovery.process import before_fork

    args.workers = workers(args)  # a bad WEB_CONCURRENCY stops us before anything starts
    setup()  # cli.main has made this process private (umask 0o077); workers inherit it
    if not args.no_migrate:
        migrate()
    from gunicorn.app.base import BaseApplication

    from kratom_recovery.web.wsgi import application

    before_fork()  # the master never serves: it keeps no connection for workers to inherit

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options(args).items():
                if key in self.cfg.settings:  # older gunicorn lacks the control socket
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(f"kratom-recovery: serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    Server().run()
    return 0
