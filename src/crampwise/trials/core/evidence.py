"""Enough data to answer? The minimum evidence before a trial shows any percentage or best guess.

With only a handful of cramps the posterior mostly repeats the prior: a percentage such as "57%
likely" would describe the model, not the person. Below the minimum the app says that there are
not yet enough cramps to tell, and about how many more weeks it would take at the rate seen so far.

The minimum, chosen by simulation (``benchmarks/trials_minimum_evidence.py``; figures in
docs/trials.md): at least 10 cramps on counted nights, both arms together, and counted nights in
at least 2 periods of each arm. Below 10 cramps the prior still carries about half of what the
answer says (posterior SD of the log ratio 0.70 or more, against the prior's 1.0) and even a true
halving gives a clear answer in at most 5 trials in 100. With one period per arm, a slow change
in cramps cannot be told from the remedy. The total over both arms is used, never the count on one
arm: a remedy that works well leaves few cramps on its own arm, and that must not hide the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_CRAMPS = 10  # on counted nights, both arms together
MIN_PERIODS_PER_ARM = 2  # periods with a counted night, on each arm


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much the trial rests on, and whether that is enough to give an answer."""

    cramps: int
    control_periods: int
    treatment_periods: int
    weeks_more: float | None  # likely weeks still needed; None when enough or when no rate is known

    @property
    def enough(self) -> bool:
        periods = min(self.control_periods, self.treatment_periods)
        return self.cramps >= MIN_CRAMPS and periods >= MIN_PERIODS_PER_ARM

    def to_dict(self) -> dict[str, object]:
        return {
            "enough_data": self.enough,
            "cramps": self.cramps,
            "periods_per_arm": {
                "control": self.control_periods,
                "treatment": self.treatment_periods,
            },
            "minimum": {"cramps": MIN_CRAMPS, "periods_per_arm": MIN_PERIODS_PER_ARM},
            "weeks_more": self.weeks_more,
        }


def check(
    cramps: int,
    nights: int,
    control_periods: int,
    treatment_periods: int,
    *,
    period_nights: float = 7.0,
    fallback_per_night: float | None = None,
) -> Evidence:
    """The evidence of a trial with ``cramps`` over ``nights`` counted nights.

    ``weeks_more`` uses the trial's own rate; without a cramp yet, ``fallback_per_night`` (the
    run-in or the diary before the trial) stands in, and without either it is None.
    """
    short_cramps = max(0, MIN_CRAMPS - cramps)
    short_periods = max(0, MIN_PERIODS_PER_ARM - min(control_periods, treatment_periods))
    more: float | None = None
    if short_cramps or short_periods:
        # Each missing period on an arm takes one more pair of periods (the arms take turns).
        nights_needed = 2 * short_periods * period_nights
        rate = cramps / nights if cramps and nights else fallback_per_night
        if short_cramps and (not rate or rate <= 0):
            more = None
        else:
            if short_cramps and rate:
                nights_needed = max(nights_needed, short_cramps / rate)
            more = float(max(1, math.ceil(nights_needed / 7)))
    return Evidence(cramps, control_periods, treatment_periods, more)
