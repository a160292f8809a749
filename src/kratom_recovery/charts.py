"""Small accessible inline SVG charts: the withdrawal forecast and check-in history.

Pure string building (no Django, no JavaScript). Colours come from `currentColor` and class
names (`chart-band`, `chart-line`, `chart-obs`, `chart-now`, `chart-axis`, `chart-grid`,
`chart-series-N`) so the page's CSS sets them in light and dark themes; presentation attributes
give a readable default and are allowed by a strict Content-Security-Policy, unlike `style=`.
Series differ by dash pattern and marker shape as well as class, never by colour alone.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from kratom_recovery.care.timeline import Forecast, Observation

DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass(frozen=True)
class ForecastWords:
    """The forecast chart's words, so the web layer can pass them in the page's language
    (this module stays free of Django). Templates use str.format's named fields."""

    x_axis: str = "days since last dose"
    y_axis: str = "SOWS total"
    band: str = "80% range"
    expected: str = "expected"
    now: str = "now"
    today: str = "today: {value}"
    point: str = "day {day}: {value}"
    description: str = (
        "Expected SOWS total by day after the last dose, highest on day {peak_day} at about "
        "{peak} (80% range {low} to {high}). Acute phase expected to end between {start} and "
        "{end}. {count} check-ins shown.")
    translate: Callable[[str], str] = str  # for the forecast's own notice (the core's text)


ENGLISH = ForecastWords()
MARKERS = ("circle", "square", "diamond", "triangle")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_max(value: float, cap: float) -> float:
    """A round axis maximum at or above `value` (multiples of 4, 8 or 16), at most `cap`."""
    for step in (4.0, 8.0, 16.0):
        top = math.ceil(max(value, 1.0) / step) * step
        if top / step <= 6:
            return min(cap, top)
    return cap


class _Frame:
    """Maps data to pixels inside margins and draws axes, ticks and labels."""

    def __init__(self, width: int, height: int, x_max: float, y_max: float) -> None:
        self.left, self.right, self.top, self.bottom = 48, 16, 16, 44
        self.width, self.height = width, height
        self.x_max, self.y_max = x_max, y_max

    def x(self, value: float) -> float:
        return self.left + (self.width - self.left - self.right) * value / self.x_max

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + span * (1 - min(value, self.y_max) / self.y_max)

    def axes(self, x_label: str, y_label: str, x_ticks: Sequence[float],
             y_ticks: Sequence[float]) -> list[str]:
        x0, x1 = self.x(0), self.x(self.x_max)
        y0, y1 = self.y(0), self.y(self.y_max)
        out = ['<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">']
        out += [f'<line x1="{_num(x0)}" x2="{_num(x1)}" y1="{_num(self.y(t))}" '
                f'y2="{_num(self.y(t))}"/>' for t in y_ticks if t > 0]
        out.append("</g>")
        out.append('<g class="chart-axis" stroke="currentColor" fill="currentColor" '
                   'font-size="11" font-family="sans-serif">')
        out.append(f'<line x1="{_num(x0)}" x2="{_num(x1)}" y1="{_num(y0)}" y2="{_num(y0)}"/>')
        out.append(f'<line x1="{_num(x0)}" x2="{_num(x0)}" y1="{_num(y0)}" y2="{_num(y1)}"/>')
        for t in x_ticks:
            out.append(f'<text x="{_num(self.x(t))}" y="{_num(y0 + 14)}" stroke="none" '
                       f'text-anchor="middle">{_num(t)}</text>')
        for t in y_ticks:
            out.append(f'<text x="{_num(x0 - 6)}" y="{_num(self.y(t) + 4)}" stroke="none" '
                       f'text-anchor="end">{_num(t)}</text>')
        out.append(f'<text x="{_num((x0 + x1) / 2)}" y="{self.height - 6}" stroke="none" '
                   f'text-anchor="middle">{escape(x_label)}</text>')
        mid = (y0 + y1) / 2
        out.append(f'<text x="12" y="{_num(mid)}" stroke="none" text-anchor="middle" '
                   f'transform="rotate(-90 12 {_num(mid)})">{escape(y_label)}</text>')
        out.append("</g>")
        return out


def _open(width: int, height: int, title: str, description: str, key: str) -> list[str]:
    # Ids must be unique on a page that shows several charts; derive them from the content.
    ident = "chart-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" aria-label="{escape(title)}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def forecast_svg(
    forecast: Forecast,
    observed: Sequence[Observation] = (),
    *,
    width: int = 640,
    height: int = 320,
    title: str = "Expected withdrawal symptoms after the last dose",
    background: str | None = None,
    today: float | None = None,
    words: ForecastWords = ENGLISH,
) -> str:
    """The 80% band, the expected line, the person's check-ins and a 'now' marker; with
    `today` (today's SOWS total), a ring around today's dot at 'now'."""
    days = [p.day for p in forecast.points]
    x_max = float(max(days))
    obs = [
        ((o.time - forecast.last_dose).total_seconds() / 86400, o.sows_total) for o in observed
    ]
    obs = [(d, v) for d, v in obs if 0 <= d <= x_max]
    y_max = _nice_max(max([p.high for p in forecast.points] + [v for _, v in obs]) * 1.1, 64.0)
    frame = _Frame(width, height, x_max, y_max)
    peak = max(forecast.points, key=lambda p: p.expected)
    description = words.description.format(
        peak_day=peak.day, peak=_num(peak.expected), low=_num(peak.low), high=_num(peak.high),
        start=forecast.acute_end_range[0].isoformat(),
        end=forecast.acute_end_range[1].isoformat(), count=len(obs),
    ) + (f" {words.translate(forecast.notice)}" if forecast.notice else "")
    out = _open(width, height, title, description,
                f"{title}|{forecast.last_dose.isoformat()}|{forecast.hours_since_last_dose}")
    if background:
        out.append(f'<rect class="chart-bg" width="{width}" height="{height}" '
                   f'fill="{escape(background)}"/>')
    out += frame.axes(words.x_axis, words.y_axis,
                      [d for d in days if d % 5 == 0], _ticks(y_max))
    upper = [f"{_num(frame.x(p.day))},{_num(frame.y(p.high))}" for p in forecast.points]
    lower = [f"{_num(frame.x(p.day))},{_num(frame.y(p.low))}" for p in reversed(forecast.points)]
    out.append(f'<polygon class="chart-band" fill="currentColor" fill-opacity="0.15" '
               f'stroke="none" points="{" ".join(upper + lower)}">'
               f"<title>{escape(words.band)}</title>"
               f"</polygon>")
    line = " ".join(f"{_num(frame.x(p.day))},{_num(frame.y(p.expected))}"
                    for p in forecast.points)
    out.append(f'<polyline class="chart-line" fill="none" stroke="currentColor" '
               f'stroke-width="2" points="{line}">'
               f"<title>{escape(words.expected)}</title></polyline>")
    now_day = forecast.hours_since_last_dose / 24
    if 0 <= now_day <= x_max:
        x = _num(frame.x(now_day))
        out.append(f'<g class="chart-now" stroke="currentColor" fill="currentColor" '
                   f'font-size="11" font-family="sans-serif">'
                   f'<line x1="{x}" x2="{x}" y1="{_num(frame.y(0))}" y2="{_num(frame.y(y_max))}" '
                   f'stroke-dasharray="4 3"/>'
                   f'<text x="{x}" y="{_num(frame.y(y_max) + 10)}" stroke="none" dx="4">'
                   f"{escape(words.now)}</text>"
                   f"</g>")
    if today is not None and 0 <= now_day <= x_max:
        out.append(f'<circle class="chart-today" cx="{_num(frame.x(now_day))}" '
                   f'cy="{_num(frame.y(today))}" r="8" fill="none" stroke="currentColor" '
                   f'stroke-width="2.5"><title>{escape(words.today.format(value=_num(today)))}'
                   f"</title></circle>")
    if obs:
        out.append('<g class="chart-obs" fill="currentColor" stroke="none">')
        for d, v in obs:
            out.append(f'<circle cx="{_num(frame.x(d))}" cy="{_num(frame.y(v))}" r="3.5">'
                       f"<title>{escape(words.point.format(day=_num(d), value=_num(v)))}"
                       f"</title></circle>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3"/>'
    if shape == "square":
        return f'<rect x="{_num(x - 3)}" y="{_num(y - 3)}" width="6" height="6"/>'
    if shape == "diamond":
        return (f'<polygon points="{_num(x)},{_num(y - 4)} {_num(x + 4)},{_num(y)} '
                f'{_num(x)},{_num(y + 4)} {_num(x - 4)},{_num(y)}"/>')
    return (f'<polygon points="{_num(x)},{_num(y - 4)} {_num(x + 4)},{_num(y + 3)} '
            f'{_num(x - 4)},{_num(y + 3)}"/>')


def line_chart_svg(
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    *,
    width: int = 640,
    height: int = 240,
    title: str = "Check-in history",
    y_max: float,
    x_label: str,
    y_label: str,
    x_max: float | None = None,
) -> str:
    """Several named (x, y) series on one small chart with a legend."""
    xs = [x for _, points in series for x, _ in points]
    top_x = x_max if x_max is not None else max([*xs, 1.0])
    frame = _Frame(width, height, max(top_x, 1.0), max(y_max, 1.0))
    frame.top = 16 + 16 * math.ceil(len(series) / 3)  # room for the legend
    names = ", ".join(name for name, _ in series) or "no data"
    out = _open(width, height, title, f"{y_label} by {x_label}: {names}.",
                f"{title}|{names}|{len(xs)}")
    x_step = max(1, math.ceil(frame.x_max / 6))
    out += frame.axes(x_label, y_label,
                      [float(t) for t in range(0, int(frame.x_max) + 1, x_step)],
                      _ticks(frame.y_max, 4 if frame.y_max % 4 == 0 else 5))  # whole numbers
    for n, (name, points) in enumerate(series):
        dash = DASHES[n % len(DASHES)]
        shape = MARKERS[n % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        coords = [(frame.x(x), frame.y(y)) for x, y in sorted(points)]
        out.append(f'<g class="chart-series chart-series-{n}" stroke="currentColor" '
                   f'fill="currentColor"><title>{escape(name)}</title>')
        if len(coords) > 1:
            joined = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
            out.append(f'<polyline fill="none" stroke-width="2"{dash_attr} points="{joined}"/>')
        out += [_marker(shape, x, y) for x, y in coords]
        # Legend entry: line sample, marker and the name.
        lx = frame.left + (n % 3) * 180
        ly = 12 + 16 * (n // 3)
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke-width="2"'
                   f"{dash_attr}/>")
        out.append(_marker(shape, lx + 12, ly))
        out.append(f'<text x="{lx + 30}" y="{ly + 4}" stroke="none" font-size="11" '
                   f'font-family="sans-serif">{escape(name)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
