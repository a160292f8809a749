"""Reading the composed pages in tests: the context of one card by its template."""

from __future__ import annotations

from typing import Any


def card(response: Any, template: str) -> dict[str, Any]:
    """The context of the card drawn from `template` on a chart or home response."""
    context = response.context
    panels = [*context.get("top", []), *context.get("main", []), *context.get("side", []),
              *context.get("panels", [])]
    found = [panel.context for panel in panels if panel.template == template]
    assert found, f"no {template} card on the page"
    return dict(found[0])
