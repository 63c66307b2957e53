"""Enough data to answer? The minimum evidence before a trial shows any percentage or best guess.

With only a handful of cramps the posterior mostly repeats the prior: a percentage such as "57%
likely" would describe the model, not the person. Below the minimum the app says that there are
not yet enough cramps to tell, and about how many more weeks it would take at the rate seen so far.

The minimum (total cramps on counted nights, and counted nights on each arm) was chosen by
simulation; ``benchmarks/trials_minimum_evidence.py`` prints the figures and docs/trials.md gives
them. The total over both arms is used, never the count on one arm: a remedy that works well
leaves few cramps on its own arm, and that must not hide the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_CRAMPS = 10  # on counted nights, both arms together
MIN_NIGHTS_PER_ARM = 14  # counted nights on each arm: two weeks of each


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much the trial rests on, and whether that is enough to give an answer."""

    cramps: int
    control_nights: int
    treatment_nights: int
    weeks_more: (
        float | None
    )  # likely weeks still needed; None when enough, or when no rate is known

    @property
    def enough(self) -> bool:
        return (
            self.cramps >= MIN_CRAMPS
            and min(self.control_nights, self.treatment_nights) >= MIN_NIGHTS_PER_ARM
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "enough_data": self.enough,
            "cramps": self.cramps,
            "nights_per_arm": [self.control_nights, self.treatment_nights],
            "minimum": {"cramps": MIN_CRAMPS, "nights_per_arm": MIN_NIGHTS_PER_ARM},
            "weeks_more": self.weeks_more,
        }


def weeks_more(
    cramps: int,
    control_nights: int,
    treatment_nights: int,
    *,
    fallback_per_night: float | None = None,
) -> float | None:
    """Whole weeks of trial (both arms in turn) until the minimum is likely met, or None.

    The rate is the trial's own so far; without a cramp yet, ``fallback_per_night`` (the run-in or
    the diary before the trial) stands in. None when neither knows a rate above zero.
    """
    nights = control_nights + treatment_nights
    short_cramps = max(0, MIN_CRAMPS - cramps)
    short_nights = max(0, MIN_NIGHTS_PER_ARM - min(control_nights, treatment_nights))
    if not short_cramps and not short_nights:
        return None
    # Arms alternate by period, so each arm gets about half of the nights to come.
    nights_needed = 2 * short_nights
    if short_cramps:
        rate = cramps / nights if cramps and nights else fallback_per_night
        if not rate or rate <= 0:
            return None
        nights_needed = max(nights_needed, short_cramps / rate)
    return float(max(1, math.ceil(nights_needed / 7)))


def check(
    cramps: int,
    control_nights: int,
    treatment_nights: int,
    *,
    fallback_per_night: float | None = None,
) -> Evidence:
    more = weeks_more(
        cramps, control_nights, treatment_nights, fallback_per_night=fallback_per_night
    )
    return Evidence(cramps, control_nights, treatment_nights, more)
