"""The insights summary (when the insights feature has one) and the CSV export."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

import crampwise.insights
from crampwise.diary import services
from crampwise.diary.records import NightRecord

pytestmark = pytest.mark.django_db


def test_the_summary_is_501_while_insights_offer_none(api, monkeypatch):
    """Without crampwise.insights.summarize the route says it is not implemented."""
    monkeypatch.delattr(crampwise.insights, "summarize", raising=False)
    response = api.get("/insights/summary")
    assert response.status_code == 501 and response.json()["detail"][0]["message"]


def test_the_summary_part_of_the_insights_is_returned(api, owner, monkeypatch):
    """summarize() gets the person's records and the last night; its summary part is answered as JSON."""
    seen = {}

    def fake_summarize(nights, episodes, medicines, specs, today):
        seen.update(nights=nights, specs=specs, today=today)
        return {"summary": {"cramps_per_week": np.float64(2.5), "nights": np.int64(3), "ci": (1.0, float("nan")),
                            "first_night": date(2026, 11, 1)}, "trend": {"ignored": True}}

    monkeypatch.setattr(crampwise.insights, "summarize", fake_summarize, raising=False)
    services.save_night(owner, date(2026, 11, 1), reported_cramps=2)
    response = api.get("/insights/summary")
    assert response.status_code == 200
    assert response.json() == {"cramps_per_week": 2.5, "nights": 3, "ci": [1.0, None], "first_night": "2026-11-01"}
    assert isinstance(seen["nights"][0], NightRecord) and seen["specs"][0].name == "stretched"
    assert isinstance(seen["today"], date)


def test_the_real_summary_answers_for_a_small_diary(api, owner):
    """With the insights feature present, a few nights give a 200 object."""
    if not hasattr(crampwise.insights, "summarize"):
        pytest.skip("the insights feature has no summarize() yet")
    for day in range(1, 15):
        services.save_night(owner, date(2026, 10, day), reported_cramps=day % 3)
    response = api.get("/insights/summary")
    assert response.status_code == 200 and isinstance(response.json(), dict)


def test_the_export_is_the_nightly_csv_as_a_download(api, owner):
    """Same file as the web app's export, not cached."""
    services.save_night(owner, date(2026, 11, 19), reported_cramps=1)
    response = api.get("/export/nights.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    assert response.content.decode() == services.export_csv(owner)
