"""The insights dashboard: the pure core's numbers, with charts as images and tables beside them."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from crampwise.insights.core import charts
from crampwise.insights.loading import insights_for

CHART_CACHE = settings.DATA_DIR / "charts"
SESSION_KEY = "insight_charts"
SHA = re.compile(r"^[0-9a-f]{64}$")


def chart_path(key: str):
    return CHART_CACHE / f"chart-{key}.svg"


@login_required
def dashboard(request):
    result = insights_for(request.user)
    figures = []
    allowed = []
    specs = charts.chart_specs(result) if result["summary"]["nights_recorded"] else {}
    tables = charts.chart_tables(result) if specs else {}
    for name in ("trend", "hours", "factors"):
        spec = specs.get(name)
        if not spec:
            continue
        svg = charts.render_svg(spec, cache_dir=CHART_CACHE)  # rendered once per content
        key = charts.spec_key(spec)
        path = chart_path(key)
        if not path.exists():  # the renderer's memory cache may have answered without the disk
            CHART_CACHE.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
        allowed.append(key)
        figures.append(
            {
                "name": name,
                "key": key,
                "alt": spec.get("description", ""),
                "table": tables.get(name),
            }
        )
    # Chart images are addressed by the hash of their content; a person may fetch only those made
    # for their own page, so a leaked URL shows nothing to anybody else.
    request.session[SESSION_KEY] = allowed
    return render(request, "insights/dashboard.html", {"insights": result, "figures": figures})


@login_required
def chart(request, key: str):
    if not SHA.match(key) or key not in request.session.get(SESSION_KEY, []):
        raise Http404("no such chart")
    path = chart_path(key)
    if not path.exists():
        raise Http404("chart expired")
    # A chart of someone's nights is health data: like the page around it, never kept in a browser's
    # cache (the server keeps the rendered SVG, so a new fetch is cheap).
    return HttpResponse(path.read_bytes(), content_type="image/svg+xml")
