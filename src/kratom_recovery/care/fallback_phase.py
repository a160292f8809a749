"""The one fallback withdrawal timeline, for when a person's own forecast cannot be made.

The timeline model (care/timeline.py) gives everyone their own phase boundaries. When it
cannot run (no profile yet, a last dose in the future), pages still need a phase for coping
suggestions and follow-ups still need an anchor; every such place reads this table, so the
coping page and the follow-up schedule never disagree about when the acute phase ends.

Onset and peak are the blog figures the model is calibrated to [ref:timeline-blogs] (onset
from 6 h, worst on days 1–3). The acute phase ends at day 7: what the model's defaults give
a typical person (about 172 h for 15 g/day in three doses for two years,
[ref:assumption:timeline-model]), inside the blogs' 5–10 days. Pages label the result as an
estimate.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from kratom_recovery.care.timeline import PhaseTimes, phase_for

ACUTE_DAYS: Final = 7
PHASE_TIMES: Final = PhaseTimes(onset_h=6.0, peak_start_h=24.0, peak_end_h=72.0,
                                acute_end_h=ACUTE_DAYS * 24.0)


def fallback_phase(last_dose: datetime | None, now: datetime) -> str:
    """The phase by hours since the last dose; post-acute when no last dose is known."""
    if last_dose is None:
        return "post-acute"
    return phase_for((now - last_dose).total_seconds() / 3600, PHASE_TIMES)


def fallback_acute_end(last_dose_day: date) -> date:
    """The expected end of the acute phase: the last dose's (local) day plus ACUTE_DAYS."""
    return last_dose_day + timedelta(days=ACUTE_DAYS)
