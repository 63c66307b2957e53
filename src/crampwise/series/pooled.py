"""The one place the series app meets the pooling statistics (``trials.core.pooling``).

Everything else in the series app calls ``pool`` and ``summary_words`` here; each patient's
likelihood comes from ``series.rows``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.trials.core.analysis import NotEnoughNights
from crampwise.trials.core.pooling import PatientLikelihood, PooledResult, pool_likelihoods
from crampwise.trials.core.series_wording import pooled_summary_words


def pool(
    likelihoods: Sequence[PatientLikelihood], threshold: float, left_out: Sequence[str] = ()
) -> PooledResult | None:
    """The pooled answer over these patients' stored likelihoods (``series.rows``); None until a
    trial has nights on both arms. ``left_out`` names the patients without."""
    try:
        return pool_likelihoods(likelihoods, threshold, left_out=left_out)
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
