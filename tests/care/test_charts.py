"""Inline SVG charts parse as XML, carry accessible names and escape text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.timeline import Observation, forecast
from kratom_recovery.charts import forecast_svg, line_chart_svg

NS = "{http://www.w3.org/2000/svg}"
LAST = datetime(2026, 11, 20, 8, tzinfo=UTC)
PROFILE = UseProfile("leaf", 15.0, "g", 3, 2.0, last_dose=LAST)
OBSERVED = [Observation(LAST + timedelta(hours=h), v) for h, v in ((20, 6), (44, 14), (70, 11))]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_forecast_chart_has_title_band_line_points_and_now() -> None:
    result = forecast(PROFILE, LAST + timedelta(hours=80), observed=OBSERVED)
    root = parse(forecast_svg(result, OBSERVED, title="Your forecast"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Your forecast"
    assert root.find(f"{NS}title").text == "Your forecast"  # type: ignore[union-attr]
    band = classes(root, "chart-band")
    assert len(band) == 1 and len(band[0].get("points", "").split()) == 2 * 31
    assert len(classes(root, "chart-line")) == 1
    assert len(list(classes(root, "chart-obs")[0])) == len(OBSERVED)
    assert len(classes(root, "chart-now")) == 1
    text = " ".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "days since last dose" in text and "SOWS total" in text
    assert "style=" not in forecast_svg(result, OBSERVED) and "<script" not in text


def test_now_marker_is_left_out_after_day_30() -> None:
    result = forecast(PROFILE, LAST + timedelta(days=45))
    assert classes(parse(forecast_svg(result)), "chart-now") == []


def test_text_is_escaped() -> None:
    result = forecast(PROFILE, LAST + timedelta(hours=30))
    svg = forecast_svg(result, title='<b>"Pat" & co</b>')
    root = parse(svg)
    assert root.find(f"{NS}title").text == '<b>"Pat" & co</b>'  # type: ignore[union-attr]
    assert "<b>" not in svg
    chart = line_chart_svg([("<craving>", [(0, 1), (1, 2)])], y_max=10, x_label="day & night",
                           y_label="score")
    assert "<craving>" not in chart and "&lt;craving&gt;" in chart
    assert "day & night" in " ".join(t.text or "" for t in parse(chart).iter(f"{NS}text"))


def test_line_chart_draws_each_series_distinctly() -> None:
    series = [("SOWS", [(0.0, 10.0), (1.0, 14.0), (2.0, 9.0)]), ("craving", [(0.0, 5.0)]),
              ("low mood", [])]
    root = parse(line_chart_svg(series, y_max=64, x_label="day", y_label="score",
                                title="History"))
    groups = classes(root, "chart-series")
    assert [g.find(f"{NS}title").text for g in groups] == ["SOWS", "craving", "low mood"]  # type: ignore[union-attr]
    assert len(groups[0].findall(f"{NS}polyline")) == 1
    assert groups[0].find(f"{NS}polyline").get("stroke-dasharray") is None  # type: ignore[union-attr]
    legend_lines = [g.findall(f"{NS}line")[0].get("stroke-dasharray") for g in groups]
    assert len(set(legend_lines)) == 3


def test_two_charts_on_one_page_get_different_ids() -> None:
    a = parse(line_chart_svg([("a", [(0, 1)])], y_max=4, x_label="x", y_label="y", title="A"))
    b = parse(line_chart_svg([("a", [(0, 1)])], y_max=4, x_label="x", y_label="y", title="B"))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")
