"""The one place the series app meets the pooling statistics (``trials.core.pooling``).

Everything else in the series app calls ``pool`` and ``summary_words`` here, so a change in how
``PatientTrialData`` is built touches only this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.trials.core.analysis import NotEnoughNights
from crampwise.trials.core.observations import TrialNight
from crampwise.trials.core.pooling import PatientTrialData, PooledResult, pool_trials
from crampwise.trials.core.series_wording import pooled_summary_words

# One patient as the series pools them: their code, trial nights and run-in rate (or None).
PatientInput = tuple[str, Sequence[TrialNight], float | None]


def pool(patients: Sequence[PatientInput], threshold: float) -> PooledResult | None:
    """The pooled answer over these patients' nights; None until a trial has nights on both arms."""
    trials = [PatientTrialData.from_nights(n, nights, base) for n, nights, base in patients]
    try:
        return pool_trials(trials, threshold)
    except NotEnoughNights:
        return None


def summary_words(result: PooledResult, remedy: str | None = None) -> list[str]:
    return list(pooled_summary_words(result, remedy))


@dataclass(frozen=True)
class Individual:
    """One patient's estimate as the series pages read it."""

    label: str
    median: float  # shrunk towards the population
    ci95: tuple[float, float]
    unpooled_median: float  # the patient alone
    unpooled_ci95: tuple[float, float]


def individuals(result: PooledResult) -> list[Individual]:
    return [
        Individual(
            i.label, i.rate_ratio_median, i.rate_ratio_ci95, i.unpooled_median, i.unpooled_ci95
        )
        for i in result.individuals
    ]
