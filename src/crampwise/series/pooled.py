"""The one place the series app meets the pooling statistics (``trials.core.pooling``).

Everything else in the series app calls ``pool`` and ``summary_words`` here, so a change in how
``PatientTrialData`` is built touches only this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crampwise.trials.core.observations import TrialNight

try:
    from crampwise.trials.core import pooling as _pooling  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # TEMPORARY until branch series-pool lands; remove with standin_pooling.py
    from crampwise.series.core import standin_pooling as _pooling

PooledResult = Any  # the pooling module's PooledResult; typed loosely while two branches differ


def patient_data(label: str, nights: Sequence[TrialNight]) -> Any:
    """One patient's trial observations as the pooling takes them."""
    return _pooling.PatientTrialData(label=label, nights=tuple(nights))


def pool(patients: Sequence[tuple[str, Sequence[TrialNight]]], threshold: float) -> PooledResult:
    """The pooled answer over these patients' nights (label, nights)."""
    return _pooling.pool_trials([patient_data(label, n) for label, n in patients], threshold)


def summary_words(result: PooledResult) -> list[str]:
    return list(_pooling.pooled_summary_words(result))


@dataclass(frozen=True)
class Individual:
    """One patient's estimate as the series pages read it, whatever the pooling calls its fields."""

    label: str
    median: float  # shrunk towards the population
    ci95: tuple[float, float]
    unpooled_median: float  # the patient alone
    unpooled_ci95: tuple[float, float]


def individuals(result: PooledResult) -> list[Individual]:
    return [
        Individual(i.label, i.median, tuple(i.ci95), i.unpooled_median, tuple(i.unpooled_ci95))
        for i in result.individuals
    ]
