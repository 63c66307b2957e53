"""The insights summary and the CSV export."""

from __future__ import annotations

from datetime import date

import pytest

from crampwise.diary import services
from crampwise.insights.loading import insights_for

pytestmark = pytest.mark.django_db


def test_the_summary_is_the_same_as_the_dashboards(api, owner):
    """The API answers the summary part of the person's insights, as JSON, on their own nights."""
    for day, cramps in ((1, 2), (2, 0), (4, 3)):
        services.save_night(owner, date(2026, 11, day), reported_cramps=cramps)
    response = api.get("/insights/summary")
    assert response.status_code == 200
    body = response.json()
    assert body == insights_for(owner)["summary"]
    assert body["nights_recorded"] == 3 and body["cramps_total"] == 5
    assert body["cramps_per_week"] == pytest.approx(7 * 5 / 3, abs=0.01)


def test_the_real_summary_answers_for_a_small_diary(api, owner):
    """Two weeks of nights give a 200 object."""
    for day in range(1, 15):
        services.save_night(owner, date(2026, 10, day), reported_cramps=day % 3)
    response = api.get("/insights/summary")
    assert response.status_code == 200 and isinstance(response.json(), dict)


def test_the_export_is_the_nightly_csv_as_a_download(api, owner):
    """Same file as the web app's export, not cached."""
    services.save_night(owner, date(2026, 11, 19), reported_cramps=1)
    response = api.get("/export/nights.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    )
    assert response.content.decode() == services.export_csv(owner)
