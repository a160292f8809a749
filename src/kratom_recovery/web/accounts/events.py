"""Account events (sign-in help, second factor, passwords) reach the audit log.

The audit app builds on this one, so it cannot be imported here (docs/architecture.md):
`AuditConfig.ready()` registers its recorder with `on_account_event`. With none registered
an event raises, so an account change is never left unaudited by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from kratom_recovery.web.accounts.models import User

# (actor or None for the operator's command line, the account, action, what, via)
Listener = Callable[[User | None, User, str, str, str], None]
_listeners: list[Listener] = []


def on_account_event(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def emit(actor: User | None, subject: User, action: str, what: str, via: str = "web") -> None:
    """Record an account event inside the caller's transaction."""
    if not _listeners:
        raise RuntimeError("no account-event listener: is the audit app installed?")
    for listener in _listeners:
        listener(actor, subject, action, what, via)
