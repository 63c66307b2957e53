"""Vega-Lite charts of the insights, their SVG, and the same numbers as plain tables.

Charts are built from the JSON that ``summarize`` returns, so the web page, the PDF and the CLI
can draw them from one source. Every mark that carries meaning has at least 3:1 contrast with the
white background (WCAG 2.2, 1.4.11), and meaning never rests on colour alone: dots, solid and
dashed lines, and different point shapes keep the charts readable when printed in black and white.
Each chart has a table twin (``chart_tables``) for screen readers and the report.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import textwrap
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from crampwise.core.i18n import gettext as _

BACKGROUND = "#ffffff"
INK = "#1a1a1a"  # text and axes, 17:1
POINTS = "#1f4e79"  # weekly dots and bars, 8.7:1
LINE = "#9c3b00"  # smoothed line, 6.8:1
BAND_EDGE = "#595959"  # dashed edges of the band, 7:1
BAND_FILL = "#dce6f2"  # decoration only: the dashed edges carry the meaning
VERDICT_STYLE = {  # colour, shape
    "worse": ("#b3261e", "triangle-up"),  # 5.8:1
    "better": ("#1e6b2e", "triangle-down"),  # 6.3:1
    "no_clear_link": ("#4d4d4d", "circle"),  # 8.5:1
}
# Colours that must meet 3:1 against the background (checked by a test).
MEANINGFUL_COLOURS = (INK, POINTS, LINE, BAND_EDGE) + tuple(c for c, _ in VERDICT_STYLE.values())

_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Sizes for a phone: the SVG is drawn about 460 px wide and shown 356 px wide on a 390 px screen,
# so 16 px text lands at about 12.4 px there (tests/browser/test_everyday_screens.py measures it).
CHART_WIDTH = 340
LABEL_SIZE = 16
_CONFIG = {
    "font": "sans-serif",
    "background": BACKGROUND,
    "axis": {"labelFontSize": LABEL_SIZE, "titleFontSize": LABEL_SIZE, "labelColor": INK, "titleColor": INK,
             "domainColor": INK, "tickColor": INK, "gridColor": "#d9d9d9", "titleLimit": 0},
    "title": {"fontSize": 18, "subtitleFontSize": LABEL_SIZE, "color": INK, "subtitleColor": INK, "anchor": "start"},
    "legend": {"labelFontSize": LABEL_SIZE, "titleFontSize": LABEL_SIZE, "labelColor": INK, "titleColor": INK,
               "orient": "bottom", "direction": "vertical"},
    "view": {"stroke": None},
}  # fmt: skip
# Subtitle lines stay within the chart's width at LABEL_SIZE.
SUBTITLE_CHARS = 40


def _base(
    title: str, subtitle: str, description: str, width: int = CHART_WIDTH, height: int = 260
) -> dict[str, Any]:
    return {
        "$schema": _SCHEMA,
        "title": {"text": title, "subtitle": textwrap.wrap(subtitle, SUBTITLE_CHARS)},
        "description": description,
        "width": width,
        "height": height,
        "config": _CONFIG,
    }


def trend_spec(insights: dict[str, Any]) -> dict[str, Any]:
    rows = [
        {
            "week": w["week_start"],
            "rate": w["cramps_per_week"],
            "smoothed": w["smoothed"],
            "low": w["band"][0],
            "high": w["band"][1],
            "nights": w["nights"],
        }
        for w in insights["trend"]["weeks"]
    ]
    x = {"field": "week", "type": "temporal", "title": _("Week")}
    y_title = _("Cramps a week")
    # The axis runs from 0 to the highest value drawn (at least 1, so a cramp-free diary still
    # gets a readable axis instead of one squeezed around zero).
    y_scale = {"domain": [0, trend_axis_top(rows)], "nice": True}
    spec = _base(
        _("Cramps a week"),
        _("Dots: each week. Solid line: the trend. Dashed lines: its likely range."),
        _("Cramps per week over time, with a smoothed trend and its 95% range."),
    )
    spec["data"] = {"values": rows}
    spec["layer"] = [
        {
            "mark": {"type": "area", "color": BAND_FILL, "opacity": 0.7},
            "encoding": {
                "x": x,
                "y": {"field": "low", "type": "quantitative", "title": y_title, "scale": y_scale},
                "y2": {"field": "high"},
            },
        },
        {
            "mark": {"type": "line", "color": BAND_EDGE, "strokeDash": [6, 4], "strokeWidth": 1.5},
            "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}},
        },
        {
            "mark": {"type": "line", "color": BAND_EDGE, "strokeDash": [6, 4], "strokeWidth": 1.5},
            "encoding": {"x": x, "y": {"field": "high", "type": "quantitative"}},
        },
        {
            "mark": {"type": "line", "color": LINE, "strokeWidth": 3},
            "encoding": {"x": x, "y": {"field": "smoothed", "type": "quantitative"}},
        },
        {
            "mark": {"type": "point", "filled": True, "color": POINTS, "size": 50, "opacity": 1},
            "transform": [{"filter": "datum.rate != null"}],
            "encoding": {
                "x": x,
                "y": {"field": "rate", "type": "quantitative"},
                "tooltip": [
                    {"field": "week", "type": "temporal", "title": _("Week of")},
                    {"field": "rate", "type": "quantitative", "title": y_title},
                    {"field": "nights", "type": "quantitative", "title": _("Nights recorded")},
                ],
            },
        },
    ]
    return spec


def trend_axis_top(rows: list[dict[str, Any]]) -> float:
    """The top of the trend chart's axis: the largest dot, line or band edge, at least 1."""
    drawn: list[float] = [
        r[k] for r in rows for k in ("rate", "smoothed", "low", "high") if r[k] is not None
    ]
    return max([1.0, *drawn])


def hours_spec(insights: dict[str, Any]) -> dict[str, Any]:
    rows = insights["timing"]["hours"]
    spec = _base(
        _("Time of night"),
        _("Cramps logged in each hour, from noon to noon."),
        _("Bar chart of cramps logged by hour of the night."),
    )
    spec["data"] = {"values": rows}
    spec["mark"] = {"type": "bar", "color": POINTS}
    spec["encoding"] = {
        "x": {
            "field": "label",
            "type": "ordinal",
            "sort": [r["label"] for r in rows],
            "title": _("Hour"),
            # Upright labels, as many as fit at LABEL_SIZE: the table twin has every hour.
            "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6},
        },
        "y": {
            "field": "episodes",
            "type": "quantitative",
            "title": _("Cramps logged"),
            "axis": {"tickMinStep": 1},
        },
        "tooltip": [
            {"field": "label", "title": _("Hour")},
            {"field": "episodes", "title": _("Cramps logged")},
        ],
    }
    return spec


def _factor_rows(insights: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for f in insights["factors"]:
        if f["ci95"] is None or f["rate_ratio"] is None:
            continue
        name = (
            f["label"]
            if f["kind"] == "yes_no"
            else _("%(label)s (each 1 more)") % {"label": f["label"]}
        )
        rows.append(
            {
                "factor": "\n".join(textwrap.wrap(name, 18)),
                "ratio": f["rate_ratio"],
                "low": f["ci95"][0],
                "high": f["ci95"][1],
                "verdict": f["verdict"],
                "verdict_text": verdict_text(f["verdict"]),
            }
        )
    return rows


def verdict_text(verdict: str) -> str:
    return {
        "worse": _("More cramps"),
        "better": _("Fewer cramps"),
        "no_clear_link": _("No clear link"),
        "not_enough_data": _("Not enough data"),
    }[verdict]


def factors_spec(insights: dict[str, Any]) -> dict[str, Any]:
    rows = _factor_rows(insights)
    shown = [v for v in VERDICT_STYLE if any(r["verdict"] == v for r in rows)] or list(
        VERDICT_STYLE
    )
    spec = _base(
        _("Factors and your cramps"),
        _("Left of the dashed line: fewer cramps. Right: more. Lines show the likely range."),
        _("For each factor, how many times the cramps went with it, with its 95% range."),
        width=240,
        height=max(120, 44 * len(rows)),
    )
    y = {
        "field": "factor",
        "type": "nominal",
        "sort": None,
        "title": None,
        # Long names break over lines (at most two words wide) instead of being cut short.
        "axis": {"labelLimit": 170, "labelExpr": "split(datum.label, '\\n')"},
    }
    x_scale = {"type": "log", "domain": _log_domain(rows)}
    spec["data"] = {"values": rows}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "color": INK, "strokeDash": [6, 4], "strokeWidth": 1.5},
            "data": {"values": [{"one": 1}]},
            "encoding": {"x": {"field": "one", "type": "quantitative", "scale": x_scale}},
        },
        {
            "mark": {"type": "rule", "strokeWidth": 2.5},
            "encoding": {
                "y": y,
                "x": {"field": "low", "type": "quantitative", "scale": x_scale, "title": _("Times the cramps (1 = no difference)")},
                "x2": {"field": "high"},
                "color": {"field": "verdict_text", "type": "nominal", "title": _("Verdict"),
                          "scale": {"domain": [verdict_text(v) for v in shown], "range": [VERDICT_STYLE[v][0] for v in shown]}},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 140, "opacity": 1},
            "encoding": {
                "y": y,
                "x": {"field": "ratio", "type": "quantitative", "scale": x_scale},
                "color": {"field": "verdict_text", "type": "nominal", "title": _("Verdict"),
                          "scale": {"domain": [verdict_text(v) for v in shown], "range": [VERDICT_STYLE[v][0] for v in shown]}},
                "shape": {"field": "verdict_text", "type": "nominal", "title": _("Verdict"),
                          "scale": {"domain": [verdict_text(v) for v in shown], "range": [VERDICT_STYLE[v][1] for v in shown]}},
                "tooltip": [
                    {"field": "factor", "title": _("Factor")},
                    {"field": "ratio", "title": _("Times the cramps")},
                    {"field": "low", "title": _("Likely from")},
                    {"field": "high", "title": _("Likely to")},
                ],
            },
        },
    ]  # fmt: skip
    return spec


def _log_domain(rows: list[dict[str, Any]]) -> list[float]:
    lows = [r["low"] for r in rows if r["low"] and r["low"] > 0] + [0.5]
    highs = [r["high"] for r in rows if r["high"]] + [2.0]
    return [max(0.05, min(lows) * 0.9), min(20.0, max(highs) * 1.1)]


def chart_specs(insights: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The three Vega-Lite specs, keyed ``trend``, ``hours`` and ``factors``."""
    return {
        "trend": trend_spec(insights),
        "hours": hours_spec(insights),
        "factors": factors_spec(insights),
    }


def chart_tables(insights: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each chart's numbers as a table: ``caption``, ``columns`` (header labels) and ``rows``."""
    weeks = insights["trend"]["weeks"]
    return {
        "trend": {
            "caption": _("Cramps a week, week by week"),
            "columns": [_("Week of"), _("Nights recorded"), _("Cramps"), _("Cramps a week"),
                        _("Trend"), _("Likely range")],
            "rows": [
                [w["week_start"], w["nights"], w["cramps"], _blank(w["cramps_per_week"]), _blank(w["smoothed"]),
                 _range(w["band"][0], w["band"][1])]
                for w in weeks
            ],
        },
        "hours": {
            "caption": _("Cramps logged by hour of the night"),
            "columns": [_("Hour"), _("Cramps logged")],
            "rows": [[h["label"], h["episodes"]] for h in insights["timing"]["hours"]],
        },
        "factors": {
            "caption": _("Factors and your cramps"),
            "columns": [_("Factor"), _("Nights with it"), _("Nights without"), _("Times the cramps"),
                        _("Likely range"), _("Verdict")],
            "rows": [
                [f["label"], f["nights_exposed"], f["nights_unexposed"], _blank(f["rate_ratio"]),
                 _range(*f["ci95"]) if f["ci95"] else "", verdict_text(f["verdict"])]
                for f in insights["factors"]
            ],
        },
    }  # fmt: skip


def _blank(x: float | None) -> str | float:
    return "" if x is None else x


def _range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return _("%(low)s to %(high)s") % {"low": low, "high": high}


# --- SVG rendering, cached by the spec's content -------------------------------------------------

_MEMORY_SIZE = 64
_memory: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def spec_key(spec: dict[str, Any]) -> str:
    """A hash of the spec's content and the renderer's version: same key, same picture."""
    import vl_convert

    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    salt = getattr(vl_convert, "__version__", "")
    return hashlib.sha256((salt + "\n" + canonical).encode()).hexdigest()


def render_svg(spec: dict[str, Any], cache_dir: str | os.PathLike[str] | None = None) -> str:
    """The chart as SVG text, from memory, then ``cache_dir`` (if given), then vl-convert."""
    key = spec_key(spec)
    with _lock:
        if key in _memory:
            _memory.move_to_end(key)
            return _memory[key]
    path = Path(cache_dir) / f"chart-{key}.svg" if cache_dir is not None else None
    svg = None
    if path is not None and path.is_file():
        svg = path.read_text(encoding="utf-8")
    if svg is None:
        import vl_convert

        svg = vl_convert.vegalite_to_svg(spec)
        if path is not None:
            _write_atomically(path, svg)
    with _lock:
        _memory[key] = svg
        _memory.move_to_end(key)
        while len(_memory) > _MEMORY_SIZE:
            _memory.popitem(last=False)
    return svg


def trend_chart_svg(
    insights: dict[str, Any], cache_dir: str | os.PathLike[str] | None = None
) -> str:
    """The weekly trend chart as SVG (the one the doctor's report shows)."""
    return render_svg(trend_spec(insights), cache_dir)


def _write_atomically(path: Path, text: str) -> None:
    # Several app servers may render the same chart at once: write aside, then rename, so a reader
    # never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".chart-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clear_memory_cache() -> None:
    with _lock:
        _memory.clear()
