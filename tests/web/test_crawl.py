"""Every page reachable by links renders for each role: a crawl from the home page that
follows internal links (GET only) and fails on any server error."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from kratom_recovery.web.demo import seed
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#?]*)(?:\?[^"#]*)?(?:#[^"]*)?"')
SKIP = ("/static/", "/logout/", "/api/v1/docs", "/feeds/")
MAX_PAGES = 120


def crawl(client: Client, start: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 302 and response["Location"].startswith("/"):
            queue.append(response["Location"].split("?")[0])
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in LINK.findall(response.content.decode()):
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.mark.parametrize("username", ["pat", "jordan", "cleo", "admin"])
def test_every_linked_page_renders(client: Client, username: str) -> None:
    from kratom_recovery.web.accounts.models import User

    with time_machine.travel(NOW, tick=False):
        seed(patients=4, now=NOW)
        client.force_login(User.objects.get(username=username))
        pages: dict[str, Any] = crawl(client, "/")
    errors = {path: status for path, status in pages.items() if status >= 500}
    assert not errors
    assert len(pages) > 8, pages
    # Nobody reaches a page of the wrong role through a link.
    assert not {path: s for path, s in pages.items() if s == 403}, pages
