"""When reminders fall due (reminders/core/schedule.py): zones, daylight saving, pause, trials."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crampwise.reminders.core.schedule import (
    Kind,
    Plan,
    default_evening,
    default_morning,
    dues_between,
    local_instant,
    next_due,
    too_late,
    trial_milestones,
)
from crampwise.trials.core.design import TrialDesign
from crampwise.trials.core.stopping import look_nights

NEW_YORK = ZoneInfo("America/New_York")


def morning_plan(zone=NEW_YORK, **kw) -> Plan:
    return Plan(zone=zone, evening_time=time(22, 0), morning_time=time(8, 0),
                morning_enabled=True, **kw)  # fmt: skip


def local(due) -> datetime:
    return due.at.astimezone(NEW_YORK)


def test_a_morning_reminder_stays_at_eight_on_the_clock_across_the_spring_change():
    """New York moves its clocks forward on 8 March 2026: 08:00 is 08:00 before and after."""
    dues = dues_between(
        morning_plan(), datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC)
    )
    assert [local(d).time() for d in dues] == [time(8, 0)] * len(dues)
    by_day = {local(d).date(): d.at for d in dues}
    assert by_day[date(2026, 3, 7)] == datetime(2026, 3, 7, 13, 0, tzinfo=UTC)  # EST, UTC-5
    assert by_day[date(2026, 3, 9)] == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # EDT, UTC-4


def test_a_morning_reminder_stays_at_eight_on_the_clock_across_the_autumn_change():
    """New York moves its clocks back on 1 November 2026: still one 08:00 reminder a day."""
    dues = dues_between(
        morning_plan(), datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC)
    )
    days = [local(d).date() for d in dues]
    assert days == sorted(set(days))  # one a day, none doubled
    assert all(local(d).time() == time(8, 0) for d in dues)
    by_day = {local(d).date(): d.at for d in dues}
    assert by_day[date(2026, 10, 31)] == datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    assert by_day[date(2026, 11, 2)] == datetime(2026, 11, 2, 13, 0, tzinfo=UTC)


def test_next_due_finds_the_first_morning_after_the_clocks_change():
    after = datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK)
    due = next_due(morning_plan(), after)
    assert due is not None and local(due) == datetime(2026, 3, 8, 8, 0, tzinfo=NEW_YORK)
    assert due.kind is Kind.MORNING and due.night == date(2026, 3, 7)


def test_a_time_the_clock_skips_is_sent_as_long_after_the_jump_as_it_was_after_two():
    """02:30 does not happen on 8 March 2026 in New York; it is sent at 03:30 EDT, not skipped."""
    at = local_instant(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert at.astimezone(NEW_YORK).time() == time(3, 30)


def test_a_time_the_clock_shows_twice_is_sent_once_at_its_first_showing():
    plan = Plan(zone=NEW_YORK, evening_time=time(1, 30), morning_time=time(8, 0),
                evening_enabled=True)  # fmt: skip
    dues = dues_between(
        plan, datetime(2026, 11, 1, 4, 0, tzinfo=UTC), datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    )
    assert [d.at for d in dues] == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # 01:30 EDT


def test_an_evening_reminder_after_midnight_belongs_to_the_night_before():
    plan = Plan(zone=UTC_ZONE, evening_time=time(0, 15), morning_time=time(8, 0),
                evening_enabled=True)  # fmt: skip
    due = next_due(plan, datetime(2026, 5, 2, 0, 0, tzinfo=UTC))
    assert due is not None and due.night == date(2026, 5, 1)


UTC_ZONE = ZoneInfo("UTC")


def test_defaults_are_half_an_hour_before_bed_and_after_waking_round_the_clock():
    assert default_evening(time(22, 30)) == time(22, 0)
    assert default_evening(time(0, 10)) == time(23, 40)
    assert default_morning(time(7, 0)) == time(7, 30)
    assert default_morning(time(23, 45)) == time(0, 15)


def test_nothing_is_due_while_paused_and_reminders_resume_the_day_after():
    plan = morning_plan(paused_until=date(2026, 6, 10))
    due = next_due(plan, datetime(2026, 6, 1, tzinfo=UTC))
    assert due is not None and local(due) == datetime(2026, 6, 11, 8, 0, tzinfo=NEW_YORK)
    assert (
        dues_between(plan, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 10, 23, tzinfo=UTC))
        == []
    )


def test_a_long_pause_still_finds_the_first_reminder_after_it():
    plan = morning_plan(paused_until=date(2027, 1, 31))
    due = next_due(plan, datetime(2026, 6, 1, tzinfo=UTC))
    assert due is not None and local(due).date() == date(2027, 2, 1)


def test_nothing_is_due_when_everything_is_off():
    plan = Plan(zone=NEW_YORK, evening_time=time(22, 0), morning_time=time(8, 0))
    assert next_due(plan, datetime(2026, 6, 1, tzinfo=UTC)) is None


def test_a_trial_sends_its_start_each_period_change_its_looks_and_its_end():
    design = TrialDesign(start=date(2026, 4, 1), seed=7, pairs=2, period_nights=7,
                         washout_nights=0, run_in_nights=7)  # fmt: skip
    stones = trial_milestones(design, design.end)
    kinds = [(m.kind, m.night, m.day) for m in stones]
    assert kinds[0] == (Kind.TRIAL_STARTS, date(2026, 3, 31), date(2026, 3, 31))
    changes = [m.night for m in stones if m.kind is Kind.PERIOD_CHANGES]
    # After the run-in, then each of the four periods but the first.
    assert changes == [date(2026, 4, 8), date(2026, 4, 15), date(2026, 4, 22), date(2026, 4, 29)]
    # Two pairs: the only look the rule makes is at the end, which is the trial's end message.
    assert not [m for m in stones if m.kind is Kind.LOOK_READY]
    assert stones[-1].kind is Kind.TRIAL_ENDS and stones[-1].day == design.end + timedelta(days=1)


def test_a_look_is_ready_only_when_the_trial_itself_makes_one():
    """Four pairs: the stopping rule looks after pairs 2 and 3 (never after one pair; after pair 4
    the trial ends); the reminders say a look is ready the mornings after, and on no other."""
    design = TrialDesign(start=date(2026, 4, 1), seed=7, pairs=4, period_nights=7)
    looks = [m.day for m in trial_milestones(design, design.end) if m.kind is Kind.LOOK_READY]
    assert looks == [night + timedelta(days=1) for night in look_nights(design)[:-1]]
    assert looks == [date(2026, 4, 29), date(2026, 5, 13)]


def test_a_stopped_trial_sends_nothing_after_its_last_night():
    design = TrialDesign(start=date(2026, 4, 1), seed=7, pairs=2, period_nights=7)
    stones = trial_milestones(design, date(2026, 4, 10))
    assert [m.kind for m in stones] == [Kind.TRIAL_STARTS, Kind.PERIOD_CHANGES]


def test_milestones_are_sent_at_the_persons_evening_and_morning_times():
    design = TrialDesign(start=date(2026, 4, 1), seed=7, pairs=1, period_nights=7)
    plan = Plan(zone=NEW_YORK, evening_time=time(21, 0), morning_time=time(7, 45),
                milestones=trial_milestones(design, design.end))  # fmt: skip
    dues = dues_between(plan, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert [(d.kind, local(d)) for d in dues] == [
        (Kind.TRIAL_STARTS, datetime(2026, 3, 31, 21, 0, tzinfo=NEW_YORK)),
        (Kind.PERIOD_CHANGES, datetime(2026, 4, 8, 21, 0, tzinfo=NEW_YORK)),
        (Kind.TRIAL_ENDS, datetime(2026, 4, 15, 7, 45, tzinfo=NEW_YORK)),
    ]


def test_a_reminder_more_than_half_an_hour_late_is_too_late():
    due = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert not too_late(due, due + timedelta(minutes=30))
    assert too_late(due, due + timedelta(minutes=30, seconds=1))
