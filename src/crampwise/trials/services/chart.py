"""The trial chart: cramps a week in each period, by arm, drawn by the insights feature's renderer."""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from crampwise.insights.core.charts import render_svg
from crampwise.trials.core.analysis import TrialAnalysis
from crampwise.trials.core.design import Arm
from crampwise.trials.services.catalogue import remedy_words
from crampwise.trials.services.evaluation import Evaluation
from crampwise.trials.services.presentation import arm_label, hide_arms

CHART_COLOURS = ("#0b57a4", "#b34700")  # remedy, control: differ in lightness too, and in shape


def chart_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per period with used nights: the chart's points and its data table."""
    noun = remedy_words(evaluation.trial).noun
    return [
        {
            "period": row["period"],
            "block": row["block"],
            "arm": arm_label(row["arm"], noun),
            "nights": row["nights_used"],
            "cramps": row["cramps"],
            "per_week": row["cramps_per_week"],
        }
        for row in evaluation.report["schedule"]
        if row["nights_used"]
    ]


def chart_spec(rows: list[dict[str, Any]], noun: str, analysis: TrialAnalysis) -> dict[str, Any]:
    """A Vega-Lite spec: cramps a week in each period, by arm, with each arm's overall rate."""
    remedy, control = arm_label(Arm.TREATMENT, noun), arm_label(Arm.CONTROL, noun)
    arms = [remedy, control]
    overall = [
        {"arm": remedy, "per_week": round(analysis.treatment.per_week or 0, 3)},
        {"arm": control, "per_week": round(analysis.control.per_week or 0, 3)},
    ]
    colour = {"field": "arm", "type": "nominal", "title": None,
              "scale": {"domain": arms, "range": list(CHART_COLOURS)},
              "legend": {"orient": "bottom", "labelFontSize": 13, "symbolSize": 120}}  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 440,
        "height": 220,
        "background": "#ffffff",
        # The page gives the chart its name and a data table; inner ARIA would only add noise.
        "config": {
            "aria": False,
            "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 13},
        },  # fmt: skip
        "layer": [
            {
                "data": {"values": overall},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "y": {"field": "per_week", "type": "quantitative"},
                    "color": colour,
                    "strokeDash": {
                        "field": "arm",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": arms, "range": [[1, 0], [6, 4]]},
                    },  # fmt: skip
                },
            },
            {
                "data": {"values": rows},
                "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
                "encoding": {
                    "x": {
                        "field": "period",
                        "type": "ordinal",
                        "title": _("Period, in order"),
                        "axis": {"labelAngle": 0},
                    },  # fmt: skip
                    "y": {"field": "per_week", "type": "quantitative", "title": _("Cramps a week")},
                    "color": colour,
                    "shape": {
                        "field": "arm",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": arms, "range": ["circle", "square"]},
                    },  # fmt: skip
                },
            },
        ],
    }


_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def _render_svg(spec: dict[str, Any]) -> str | None:
    # The insights feature's renderer (cached by the spec's content) draws every chart of the site.
    try:
        return render_svg(spec)
    except Exception:
        return None


def chart_svg(evaluation: Evaluation, label: str) -> SafeString | None:
    """The chart as inline SVG named by ``label`` (role=img), or None without data or renderer."""
    rows = chart_data(evaluation)
    if evaluation.analysis is None or not rows or hide_arms(evaluation.trial):
        return None
    spec = chart_spec(rows, remedy_words(evaluation.trial).noun, evaluation.analysis)
    svg = _render_svg(spec)
    if svg is None or not svg.startswith("<svg"):
        return None
    # The page names the chart (role=img, aria-label); Vega's own roles inside would be noise.
    svg = _INNER_ARIA.sub("", svg)
    attrs = f'<svg role="img" aria-label="{escape(label)}" focusable="false"'
    svg = svg.replace("<svg", attrs, 1).replace('class="marks"', 'class="marks trial-chart"', 1)
    return mark_safe(svg)


def chart_label(evaluation: Evaluation) -> str:
    analysis = evaluation.analysis
    noun = remedy_words(evaluation.trial).noun
    if analysis is None:
        return ""
    return _(
        "Chart of cramps a week in each period. With %(remedy)s: %(treated)s a week on average; "
        "without: %(control)s a week."
    ) % {
        "remedy": noun,
        "treated": f"{analysis.treatment.per_week or 0:.1f}",
        "control": f"{analysis.control.per_week or 0:.1f}",
    }
