"""Charts: valid specs, accessible colours, data tables, and the SVG cache."""

from __future__ import annotations

from functools import lru_cache

import pytest

from crampwise.insights import chart_specs, chart_tables, render_svg, summarize
from crampwise.insights.core import charts as charts_module
from crampwise.insights.core.charts import BACKGROUND, MEANINGFUL_COLOURS
from crampwise.insights.core.simulate import simulate_diary


@lru_cache(maxsize=1)
def _insights():
    d = simulate_diary(4)
    return summarize(d.nights, d.episodes, d.medicines, d.factor_specs, d.today)


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("colour", MEANINGFUL_COLOURS)
def test_meaningful_colours_have_3_to_1_contrast(colour):
    """Every colour that carries meaning meets WCAG 1.4.11 against the background."""
    assert _contrast(colour, BACKGROUND) >= 3.0


def test_verdicts_differ_by_shape_not_only_colour():
    """Worse, better and no-link points have different shapes, for black-and-white print."""
    shapes = [shape for _, shape in charts_module.VERDICT_STYLE.values()]
    assert len(set(shapes)) == len(shapes)


def test_trend_layers_differ_by_dash_and_mark():
    """Band edges are dashed, the trend line solid, the weeks are dots."""
    layers = chart_specs(_insights())["trend"]["layer"]
    marks = [
        (layer["mark"]["type"], tuple(layer["mark"].get("strokeDash", ()))) for layer in layers
    ]
    assert ("line", (6, 4)) in [(m, tuple(d)) for m, d in marks]
    assert ("line", ()) in marks and ("point", ()) in marks


def test_each_chart_renders_to_svg():
    """All three specs render with vl-convert and describe themselves for screen readers."""
    for name, spec in chart_specs(_insights()).items():
        svg = render_svg(spec)
        assert svg.lstrip().startswith("<svg"), name
        assert spec["description"]


def test_render_is_cached_in_memory_and_on_disk(tmp_path, monkeypatch):
    """The second render of the same spec skips vl-convert; a fresh process finds it on disk."""
    import vl_convert

    spec = chart_specs(_insights())["hours"]
    charts_module.clear_memory_cache()
    first = render_svg(spec, cache_dir=tmp_path)
    files = list(tmp_path.glob("chart-*.svg"))
    assert len(files) == 1

    def fail(*args, **kwargs):
        raise AssertionError("vl-convert should not run for a cached chart")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fail)
    assert render_svg(spec, cache_dir=tmp_path) == first  # memory
    charts_module.clear_memory_cache()
    assert render_svg(spec, cache_dir=tmp_path) == first  # disk


def test_the_report_can_ask_for_the_trend_chart_alone(tmp_path):
    """trend_chart_svg renders the weekly trend spec, through the same cache."""
    svg = charts_module.trend_chart_svg(_insights(), cache_dir=tmp_path)
    assert svg == render_svg(chart_specs(_insights())["trend"])


def test_a_changed_spec_gets_a_new_cache_key():
    """The key follows the content, so a new week of data never shows a stale chart."""
    spec = chart_specs(_insights())["hours"]
    changed = {**spec, "data": {"values": spec["data"]["values"][:-1]}}
    assert charts_module.spec_key(spec) != charts_module.spec_key(changed)


def test_tables_mirror_the_charts():
    """The trend table has a row per week, the hours table 24 rows, the factors table a row each."""
    insights = _insights()
    tables = chart_tables(insights)
    assert len(tables["trend"]["rows"]) == len(insights["trend"]["weeks"])
    assert len(tables["hours"]["rows"]) == 24
    assert len(tables["factors"]["rows"]) == len(insights["factors"])
    for table in tables.values():
        assert table["caption"]
        assert all(len(row) == len(table["columns"]) for row in table["rows"])
