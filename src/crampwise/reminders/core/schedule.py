"""When a person's reminders fall due, as UTC instants, from local wall-clock times (no Django).

Every reminder is named by its kind and the night it is about (the date of that night's evening);
the worker's ledger keeps one delivery per person, kind and night.

Wall-clock times follow the person's zone through daylight-saving changes: 08:00 stays 08:00 on
the clock. Two local times need a rule:

- a time that does not exist (the clocks jump from 02:00 to 03:00, so 02:30 never happens) is sent
  when the clock would have shown it had it not jumped: 02:30 becomes 03:30, the same length of time
  after the jump as the time was after 02:00 (``fold=0`` of PEP 495);
- a time that happens twice (the clocks go back from 02:00 to 01:00, so 01:30 happens twice) is sent
  at its first occurrence, never twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from crampwise.trials.core.design import TrialDesign, period_plans
from crampwise.trials.core.stopping import look_nights

# A reminder sent more than this long after its time is dropped: a nudge hours late does harm.
LATE_LIMIT = timedelta(minutes=30)
# Evening and morning defaults, measured from the person's bedtime and wake time.
DEFAULT_OFFSET = timedelta(minutes=30)
# An evening reminder set before noon belongs to the night that began the evening before.
EVENING_CUT = time(12, 0)


class Kind(StrEnum):
    EVENING = "evening"
    MORNING = "morning"
    TRIAL_STARTS = "trial_starts"
    PERIOD_CHANGES = "period_changes"
    LOOK_READY = "look_ready"
    TRIAL_ENDS = "trial_ends"


class Slot(StrEnum):
    """Which of the person's two reminder times a trial milestone is sent at."""

    EVENING = "evening"
    MORNING = "morning"


@dataclass(frozen=True, slots=True)
class Milestone:
    kind: Kind
    night: date  # the night the message is about (the ledger's key)
    day: date  # the local calendar date it is sent on
    slot: Slot


@dataclass(frozen=True, slots=True)
class Due:
    kind: Kind
    night: date
    at: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything that decides when one person's reminders fall due."""

    zone: ZoneInfo
    evening_time: time
    morning_time: time
    evening_enabled: bool = False
    morning_enabled: bool = False
    # No reminders sent on local dates up to and including this one.
    paused_until: date | None = None
    milestones: tuple[Milestone, ...] = ()


def shift(clock: time, delta: timedelta) -> time:
    """A wall-clock time moved by ``delta``, round the clock (23:45 + 30 minutes is 00:15)."""
    minutes = (clock.hour * 60 + clock.minute + int(delta.total_seconds() // 60)) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def default_evening(bedtime: time) -> time:
    return shift(bedtime, -DEFAULT_OFFSET)


def default_morning(wake_time: time) -> time:
    return shift(wake_time, DEFAULT_OFFSET)


def local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local date and time, by the rules in this module's docstring."""
    local = datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def evening_night(day: date, clock: time) -> date:
    return day if clock >= EVENING_CUT else day - timedelta(days=1)


def trial_milestones(design: TrialDesign, end: date) -> tuple[Milestone, ...]:
    """The messages a trial sends: it starts tomorrow, a period changes, a look is ready, it ends.

    ``end`` is the trial's last night (earlier than the design's when it was stopped); nothing after
    it is sent. A look is ready the morning after each night the stopping rule looks at
    (``stopping.look_nights``: block ends, from the rule's first look on), but the last, whose
    morning is the end of the trial. Only at a block's end do the periods with and without the
    remedy balance, and no look comes before the rule's first (never after a single pair).
    """
    found = [
        Milestone(
            Kind.TRIAL_STARTS, design.start - timedelta(days=1), design.start - timedelta(days=1),
            Slot.EVENING,
        )
    ]  # fmt: skip
    for plan in period_plans(design)[1:]:
        if plan.first_night <= end:
            found.append(
                Milestone(Kind.PERIOD_CHANGES, plan.first_night, plan.first_night, Slot.EVENING)
            )
    if design.run_in_nights:
        first = period_plans(design)[0].first_night
        if first <= end:
            found.append(Milestone(Kind.PERIOD_CHANGES, first, first, Slot.EVENING))
    for last in look_nights(design):
        if last < min(end, design.end):  # the look at the very end is the trial's end message
            found.append(Milestone(Kind.LOOK_READY, last, last + timedelta(days=1), Slot.MORNING))
    if end == design.end:
        found.append(Milestone(Kind.TRIAL_ENDS, end, end + timedelta(days=1), Slot.MORNING))
    return tuple(sorted(found, key=lambda m: (m.day, m.kind)))


def _paused(plan: Plan, day: date) -> bool:
    return plan.paused_until is not None and day <= plan.paused_until


def _daily(plan: Plan, first_day: date, last_day: date) -> list[Due]:
    found = []
    day = first_day
    while day <= last_day:
        if not _paused(plan, day):
            if plan.evening_enabled:
                at = local_instant(day, plan.evening_time, plan.zone)
                found.append(Due(Kind.EVENING, evening_night(day, plan.evening_time), at))
            if plan.morning_enabled:
                at = local_instant(day, plan.morning_time, plan.zone)
                found.append(Due(Kind.MORNING, day - timedelta(days=1), at))
        day += timedelta(days=1)
    return found


def _milestones(plan: Plan) -> list[Due]:
    found = []
    for milestone in plan.milestones:
        if _paused(plan, milestone.day):
            continue
        clock = plan.evening_time if milestone.slot is Slot.EVENING else plan.morning_time
        at = local_instant(milestone.day, clock, plan.zone)
        found.append(Due(milestone.kind, milestone.night, at))
    return found


def _order(due: Due) -> tuple[datetime, str]:
    return due.at, due.kind


def dues_between(plan: Plan, start: datetime, end: datetime) -> list[Due]:
    """Every reminder due at ``start`` <= time <= ``end`` (aware instants), earliest first."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("dues_between needs timezone-aware instants")
    # A day either side: an instant's local date can differ from its UTC date by up to 14 hours.
    first = start.astimezone(plan.zone).date() - timedelta(days=1)
    last = end.astimezone(plan.zone).date() + timedelta(days=1)
    candidates = _daily(plan, first, last) + _milestones(plan)
    return sorted((d for d in candidates if start <= d.at <= end), key=_order)


def next_due(plan: Plan, after: datetime) -> Due | None:
    """The first reminder due at or after ``after``, or None when nothing is planned."""
    if after.tzinfo is None:
        raise ValueError("next_due needs a timezone-aware instant")
    first = after.astimezone(plan.zone).date() - timedelta(days=1)
    if plan.paused_until is not None:
        first = max(first, plan.paused_until + timedelta(days=1))
    # A daily reminder falls within three local days of the first day that is not paused.
    candidates = _daily(plan, first, first + timedelta(days=3)) + _milestones(plan)
    later = [d for d in candidates if d.at >= after]
    return min(later, key=_order) if later else None


def too_late(due_at: datetime, now: datetime) -> bool:
    """Whether a reminder due at ``due_at`` may no longer be sent at ``now``."""
    return now - due_at > LATE_LIMIT
