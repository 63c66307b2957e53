"""The series' forest plot as SVG: each patient's estimate, shrunk towards the population. Pure.

Drawn as plain SVG, like the doctor's report chart (clinician.core.chart), so the same picture
goes to the web page and the PDF with no scripts or style attributes (the site's CSP allows
neither). Rate ratios sit on a log axis: a halving and a doubling are the same distance from 1.
Each row has the patient's own estimate (hollow circle, thin line) and the shrunk estimate (filled
square, thick line); the population's answer is a diamond at the bottom. The table beside the
figure carries the same numbers for anyone who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
WIDTH = 520
LEFT, RIGHT, TOP, ROW, BOTTOM = 64, 16, 12, 26, 44
LOW, HIGH = 0.1, 10.0  # the axis; intervals beyond it are drawn to its edge with an arrow


@dataclass(frozen=True)
class ForestRow:
    label: str
    median: float
    low: float
    high: float
    own_median: float | None = None
    own_low: float | None = None
    own_high: float | None = None


def _axis_ends(rows: Sequence[ForestRow]) -> tuple[float, float]:
    """The axis from the data, at least 0.5 to 2 and at most 0.1 to 10."""
    values = [v for r in rows for v in (r.low, r.high, r.own_low, r.own_high) if v is not None]
    finite = [v for v in values if 0 < v < math.inf]
    low = max(LOW, min([*finite, 0.5]))
    high = min(HIGH, max([*finite, 2.0]))
    return low, high


def forest_svg(rows: Sequence[ForestRow], pooled: ForestRow, title: str, axis_label: str) -> str:
    """The plot as SVG text; ``pooled`` is drawn last as a diamond."""
    low, high = _axis_ends([*rows, pooled])
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + ROW * (len(rows) + 1) + BOTTOM

    def x(v: float) -> float:
        v = min(max(v, low), high)
        return LEFT + plot_w * (math.log(v) - math.log(low)) / (math.log(high) - math.log(low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="forest-title">',
        f'<title id="forest-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<g font-family={quoteattr(FONT)} font-size="13" fill="#000000">',
    ]
    bottom = TOP + ROW * (len(rows) + 1)
    for tick in (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0):
        if low <= tick <= high:
            tx = x(tick)
            dash = "" if tick == 1.0 else ' stroke-dasharray="2 3"'
            parts.append(f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{bottom}" '
                         f'stroke="#767676"{dash}/>')  # fmt: skip
            parts.append(
                f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle">{tick:g}</text>'
            )
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{bottom + 36}" text-anchor="middle">'
                 f"{escape(axis_label)}</text>")  # fmt: skip
    for i, row in enumerate(rows):
        cy = TOP + ROW * i + ROW / 2
        parts.append(
            f'<text x="{LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end">{escape(row.label)}</text>'
        )
        if row.own_median is not None and row.own_low is not None and row.own_high is not None:
            oy = cy + 6
            parts.append(f'<line x1="{x(row.own_low):.1f}" y1="{oy:.1f}" x2="{x(row.own_high):.1f}" '
                         f'y2="{oy:.1f}" stroke="#595959" stroke-width="1"/>')  # fmt: skip
            parts.append(f'<circle cx="{x(row.own_median):.1f}" cy="{oy:.1f}" r="3.5" '
                         f'fill="#ffffff" stroke="#595959"/>')  # fmt: skip
        sy = cy - 3
        parts.append(f'<line x1="{x(row.low):.1f}" y1="{sy:.1f}" x2="{x(row.high):.1f}" '
                     f'y2="{sy:.1f}" stroke="#000000" stroke-width="2.5"/>')  # fmt: skip
        mx = x(row.median)
        parts.append(
            f'<rect x="{mx - 4:.1f}" y="{sy - 4:.1f}" width="8" height="8" fill="#000000"/>'
        )
    py = TOP + ROW * len(rows) + ROW / 2
    parts.append(f'<text x="{LEFT - 8}" y="{py + 4:.1f}" text-anchor="end" font-weight="bold">'
                 f"{escape(pooled.label)}</text>")  # fmt: skip
    lx, mx, hx = x(pooled.low), x(pooled.median), x(pooled.high)
    parts.append(f'<polygon points="{lx:.1f},{py:.1f} {mx:.1f},{py - 7:.1f} {hx:.1f},{py:.1f} '
                 f'{mx:.1f},{py + 7:.1f}" fill="#000000"/>')  # fmt: skip
    parts.append("</g></svg>")
    return "".join(parts)
