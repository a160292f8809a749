"""The forecast chart's words in the page's language (charts.py is pure and English)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kratom_recovery.charts import ForecastWords


def forecast_words() -> ForecastWords:
    """Built per request: gettext answers in the language active for this page."""
    return ForecastWords(
        x_axis=_("days since last dose"),
        y_axis=_("SOWS total"),
        # xgettext:no-python-format
        band=_("80% range"),
        expected=_("expected"),
        now=_("now"),
        today=_("today: {value}"),
        point=_("day {day}: {value}"),
        description=_(
            # xgettext:no-python-format
            "Expected SOWS total by day after the last dose, highest on day {peak_day} at about "
            "{peak} (80% range {low} to {high}). Acute phase expected to end between {start} "
            "and {end}. {count} check-ins shown."),
        translate=_,
    )
