"""Sign-in throttling: too many failed passwords for one username or one address lock
sign-in for a while. Counters live in the database cache, so every app server shares them."""

from __future__ import annotations

from django.core.cache import cache

MAX_FAILURES = 10  # per username and per client address, within the window
WINDOW_SECONDS = 15 * 60


def keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()[:150]}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= MAX_FAILURES for key in keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in keys(username, address):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, WINDOW_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(keys(username, address)[0])
