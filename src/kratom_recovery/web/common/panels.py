"""The panel type: a card an app contributes to a page that another layer composes.

A panel function takes the page being built (patients/page.py PatientPage: the patient, the
viewer, the time and the reads the page's cards share) and returns a Panel, or None when it
has nothing to show. The composed pages (web/pages/) list the functions they show, in page
order, as imported callables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    top: bool = False  # shown above everything else on the page (the crisis card)


PageT = TypeVar("PageT")


def render_panels(functions: Iterable[Callable[[PageT], Panel | None]], page: PageT
                  ) -> list[Panel]:
    """Each function's panel, in order, leaving out those with nothing to show."""
    return [panel for function in functions if (panel := function(page)) is not None]
