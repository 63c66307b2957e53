"""End to end: a night with cramps logged at 3 a.m. but no morning answer waits, uncounted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crampwise.diary import services
from crampwise.insights.loading import insights_for

pytestmark = pytest.mark.django_db


def _week_of_answers(user, last):
    for i in range(7):
        services.save_night(user, last - timedelta(days=i + 1), reported_cramps=1)


def test_a_logged_night_without_a_morning_answer_is_not_counted_until_confirmed(owner):
    last = services.last_night(owner)
    _week_of_answers(owner, last)
    # Two cramps logged in the small hours of the last night, no morning answer yet.
    night_start = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    for hour in (2, 4):
        services.log_episode(owner, started_at=night_start + timedelta(hours=hour))
    s = insights_for(owner)["summary"]
    assert s["nights_not_confirmed"] == 1
    assert s["not_confirmed_nights"] == [last.isoformat()]
    assert s["nights_recorded"] == 7

    services.save_night(owner, last, reported_cramps=2)
    s = insights_for(owner)["summary"]
    assert s["nights_not_confirmed"] == 0
    assert s["nights_recorded"] == 8
