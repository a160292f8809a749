"""common/links.link_for: one reverse per list, the same links as reverse() per row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kratom_recovery.web.common.links import link_for


@pytest.mark.parametrize("name", ["chart", "clinic-messages", "alert"])
def test_same_links_as_reverse(name: str) -> None:
    link = link_for(name)
    for pk in (1, 42, 10**9):
        assert link(pk) == reverse(name, args=[pk])


def test_a_url_without_an_id_is_refused() -> None:
    with pytest.raises(ValueError, match="caseload"):
        link_for("caseload")
