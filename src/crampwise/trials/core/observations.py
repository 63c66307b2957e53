"""The nights of a trial as the analysis sees them: arm, period, washout flag and what was recorded.

Both the web app (a schedule joined to diary records) and the CLI (a CSV file) turn their input
into a list of ``TrialNight``; the analysis knows nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from crampwise.diary.core.records import NightRecord
from crampwise.trials.core.design import Arm, ScheduledNight


@dataclass(frozen=True, slots=True)
class TrialNight:
    night: date | None
    treated: bool
    period: int
    washout: bool
    cramps: int | None  # None: not recorded (never counted as zero)
    worst_pain: float | None = None  # 0-10, the worst cramp of the night

    @property
    def used(self) -> bool:
        """Counts towards the analysis: recorded and not a washout night."""
        return self.cramps is not None and not self.washout


@dataclass(frozen=True, slots=True)
class NightTally:
    """What happened to the scheduled nights: used, washout, missing (CENT asks for each)."""

    scheduled: int
    used: int
    washout: int
    missing: int  # non-washout nights with no count


def tally(nights: Sequence[TrialNight]) -> NightTally:
    return NightTally(
        scheduled=len(nights),
        used=sum(n.used for n in nights),
        washout=sum(n.washout for n in nights),
        missing=sum(n.cramps is None and not n.washout for n in nights),
    )


def nights_from_diary(
    schedule: Iterable[ScheduledNight], records: Iterable[NightRecord], *, until: date | None = None
) -> tuple[list[TrialNight], list[NightRecord]]:
    """Join a schedule with diary records: trial nights (up to ``until``) and run-in records.

    Nights of the schedule with no record are kept as missing nights.
    """
    by_night = {r.night: r for r in records}
    trial: list[TrialNight] = []
    run_in: list[NightRecord] = []
    for scheduled in schedule:
        if until is not None and scheduled.night > until:
            break
        record = by_night.get(scheduled.night)
        if scheduled.arm is Arm.BASELINE:
            if record is not None:
                run_in.append(record)
            continue
        assert scheduled.period is not None
        trial.append(
            TrialNight(
                night=scheduled.night,
                treated=scheduled.arm is Arm.TREATMENT,
                period=scheduled.period,
                washout=scheduled.washout,
                # A night known only from the night log is not confirmed: counting it would keep
                # bad nights and drop good ones (decision 0002).
                cramps=record.cramps
                if record is not None and record.counts_towards_rates
                else None,
                worst_pain=(
                    float(record.worst_pain)
                    if record is not None and record.worst_pain is not None
                    else None
                ),
            )
        )
    return trial, run_in
