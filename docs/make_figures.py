"""Draw the figures in docs/timeline.md with charts.forecast_svg and print the case check.

Run: .venv/bin/python docs/make_figures.py
Writes docs/img/timeline-population.svg and docs/img/timeline-updated.svg.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.timeline import Observation, forecast
from kratom_recovery.charts import forecast_svg

IMG = Path(__file__).resolve().parent / "img"
LAST = datetime(2026, 11, 20, 8, tzinfo=UTC)
TYPICAL = UseProfile("leaf", 15.0, "g", 3, 2.0, last_dose=LAST)
# An illustrative person whose first five days run well above the typical curve.
OBSERVED = [
    Observation(LAST + timedelta(hours=h), v)
    for h, v in ((10, 6), (22, 15), (34, 22), (46, 30), (58, 33), (70, 31), (82, 29),
                 (94, 27), (106, 24), (118, 22))
]


def main() -> None:
    IMG.mkdir(exist_ok=True)
    population = forecast(TYPICAL, LAST + timedelta(hours=60))
    (IMG / "timeline-population.svg").write_text(
        forecast_svg(population, title="Typical leaf user (15 g/day, 3 doses/day, 2 years): "
                     "expected SOWS total with 80% band", background="#ffffff") + "\n",
        encoding="utf-8",
    )
    updated = forecast(TYPICAL, LAST + timedelta(hours=120), observed=OBSERVED)
    (IMG / "timeline-updated.svg").write_text(
        forecast_svg(updated, OBSERVED, title="Same person after 10 check-ins above the band "
                     f"(flags: {', '.join(updated.flags) or 'none'})", background="#ffffff")
        + "\n",
        encoding="utf-8",
    )
    print("population:", [p.expected for p in population.points[:11]],
          "acute end h", population.phase_times.acute_end_h)
    print("updated:", [p.expected for p in updated.points[:11]], updated.flags,
          "acute end h", updated.phase_times.acute_end_h)

    # [ref:boyer2008]: kratom tea 4 times a day, symptoms ~10 days after the last dose.
    # Amount and years are not reported; 15 g/day and 2 years are our assumptions.
    boyer = forecast(UseProfile("leaf", 15.0, "g", 4, 2.0, last_dose=LAST,
                                other_substances=frozenset({"opioids"})), LAST)
    below_mild = next((p.day for p in boyer.points[boyer.peak_day:] if p.expected < 1.0), None)
    print("boyer: acute end day", round(boyer.phase_times.acute_end_h / 24, 1),
          "expected below 1 on day", below_mild,
          "peak", max(p.expected for p in boyer.points),
          "day 10", boyer.points[10].expected)


if __name__ == "__main__":
    main()
