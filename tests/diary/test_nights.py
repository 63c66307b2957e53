"""Which night a moment belongs to, in the person's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from crampwise.diary.core.nights import night_of
from crampwise.diary.core.records import reconcile_cramps

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def local(tz, *args):
    return datetime(*args, tzinfo=tz)


def test_a_cramp_at_half_past_midnight_belongs_to_the_night_before():
    """00:30 on the 26th is part of the night of the 25th."""
    assert night_of(local(LONDON, 2026, 11, 26, 0, 30), LONDON) == date(2026, 11, 25)


def test_a_cramp_at_11_59_still_belongs_to_the_night_before():
    """The day boundary is noon: 11:59 is still the morning after the night of the 25th."""
    assert night_of(local(LONDON, 2026, 11, 26, 11, 59), LONDON) == date(2026, 11, 25)


def test_noon_starts_a_new_night():
    """At 12:00 the night of the same date begins."""
    assert night_of(local(LONDON, 2026, 11, 26, 12, 0), LONDON) == date(2026, 11, 26)


def test_the_night_is_computed_in_the_users_zone_not_utc():
    """03:00 UTC is still the evening before in New York."""
    instant = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 22:00 on the 25th in New York
    assert night_of(instant, NEW_YORK) == date(2026, 11, 25)
    assert night_of(datetime(2026, 11, 26, 18, 0, tzinfo=UTC), NEW_YORK) == date(
        2026, 11, 26
    )  # 13:00 there


@pytest.mark.parametrize("hour", [0, 1, 2, 3, 4])
def test_a_night_across_the_autumn_clock_change_stays_one_night(hour):
    """On 25 Oct 2026 the UK clocks go back at 02:00; every hour of that night is the night of the 24th."""
    instant = datetime(2026, 10, 25, hour, 30, tzinfo=UTC)
    assert night_of(instant, LONDON) == date(2026, 10, 24)


def test_a_night_across_the_spring_clock_change_stays_one_night():
    """On 29 Mar 2026 the clocks go forward: 00:30 UTC and 09:00 UTC are both the night of the 28th."""
    assert night_of(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), LONDON) == date(2026, 3, 28)
    assert night_of(datetime(2026, 3, 29, 10, 59, tzinfo=UTC), LONDON) == date(
        2026, 3, 28
    )  # 11:59 BST
    assert night_of(datetime(2026, 3, 29, 11, 0, tzinfo=UTC), LONDON) == date(
        2026, 3, 29
    )  # 12:00 BST


def test_a_custom_day_boundary_moves_the_cut():
    """With a 06:00 boundary, 07:00 already belongs to the new day's night."""
    assert night_of(local(LONDON, 2026, 11, 26, 7, 0), LONDON, time(6, 0)) == date(2026, 11, 26)
    assert night_of(local(LONDON, 2026, 11, 26, 5, 59), LONDON, time(6, 0)) == date(2026, 11, 25)


def test_naive_datetimes_are_refused():
    """A moment without a zone is ambiguous, so it is an error."""
    with pytest.raises(ValueError):
        night_of(datetime(2026, 11, 26, 3, 0), LONDON)


def test_the_morning_count_and_the_night_log_are_never_added_together():
    """Two logged cramps and a morning answer of 2 make 2 cramps, not 4."""
    assert reconcile_cramps(2, 2) == 2
    assert reconcile_cramps(3, 1) == 3
    assert reconcile_cramps(1, 2) == 2


def test_a_night_with_no_answer_and_no_log_stays_missing():
    """Missing is not zero."""
    assert reconcile_cramps(None, 0) is None
    assert reconcile_cramps(0, 0) == 0
    assert reconcile_cramps(None, 1) == 1
