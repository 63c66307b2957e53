"""The report's weekly chart as SVG: the same picture on the web page and in the PDF. Pure; no Django.

A bar a week (cramps per week over the recorded nights of that week) and, when the insights
feature gave one, its smoothed line, dashed. Black and greys only, so it prints the same on a
black-and-white printer; the bars carry the meaning, not colour.

Drawn here as plain SVG rather than through Vega-Lite: vl-convert takes 100-250 ms a chart on a
busy two-core server, most of the report's time budget, for a picture this simple. The SVG has no
style attributes or scripts (the site's CSP allows neither), and its title is the same alt text
the PDF and the web page give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from crampwise.clinician.core.report_text import MONTHS
from crampwise.core.i18n import gettext as _

WIDTH, HEIGHT = 520, 200
LEFT, RIGHT, TOP, BOTTOM = 50, 8, 10, 40
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def nice_top(value: float) -> tuple[float, float]:
    """A round upper end for the y axis and its tick step (1, 2 or 5 times a power of ten)."""
    value = max(value, 1.0)
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def weekly_svg(weeks: Sequence[dict[str, Any]], title: str = "") -> str | None:
    """The chart as SVG text, or None when no week has a recorded night."""
    rated = [w for w in weeks if w["cramps_per_week"] is not None]
    if not rated:
        return None
    highest = max([w["cramps_per_week"] for w in rated] + [w.get("smoothed") or 0 for w in weeks])
    top, step = nice_top(highest)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(weeks)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<g font-family={quoteattr(FONT)} font-size="13" fill="#000000">',
    ]
    tick = 0.0
    while tick <= top + 1e-9:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#bbbbbb" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 5}" y="{ty + 4.5:.1f}" text-anchor="end">{_tick_label(tick)}</text>'
        )
        tick += step
    for i, w in enumerate(weeks):
        if w["cramps_per_week"] is None:
            continue
        x0 = LEFT + i * slot + slot * 0.15
        y0 = y(w["cramps_per_week"])
        parts.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{TOP + plot_h - y0:.1f}" fill="#595959"/>'
        )
    line = [
        (LEFT + (i + 0.5) * slot, y(w["smoothed"]))
        for i, w in enumerate(weeks)
        if w.get("smoothed") is not None
    ]
    if len(line) > 1:
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in line)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#000000" stroke-width="1.6" stroke-dasharray="5 3"/>'
        )
    every = max(1, math.ceil(len(weeks) / 8))
    for i, w in enumerate(weeks):
        if i % every:
            continue
        d = date.fromisoformat(w["week_start"])
        parts.append(
            f'<text x="{LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{d.day} {escape(_(MONTHS[d.month - 1]))}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#000000"/>'
    )
    parts.append(
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">'
        f"{escape(_('cramps a week'))}</text>"
    )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">{escape(_("week starting"))}</text>'
    )
    parts.append("</g></svg>")
    return "".join(parts)


def _tick_label(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
