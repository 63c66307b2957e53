"""Insights: cramps per week, trend, timing, relief, factors and medicines, from a night diary.

The modules here are the pure core (no Django, no I/O apart from the optional chart cache).
"""

from __future__ import annotations

from crampwise.insights.core.charts import chart_specs, chart_tables, render_svg
from crampwise.insights.core.summary import summarize

__all__ = ["chart_specs", "chart_tables", "render_svg", "summarize"]
