"""Small builders for trial nights used across the trial tests."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from crampwise.trials.core.observations import TrialNight
from crampwise.trials.core.simulate import Scenario, simulate_trials

START = date(2025, 3, 3)


def nights_from_counts(
    counts: list[int | None],
    treated: list[bool],
    period_nights: int = 7,
    washout_nights: int = 0,
    pains: list[float | None] | None = None,
) -> list[TrialNight]:
    """Nights in order; periods are consecutive runs of ``period_nights``."""
    return [
        TrialNight(
            night=START + timedelta(days=i),
            treated=treated[i],
            period=i // period_nights,
            washout=(i % period_nights) < washout_nights,
            cramps=c,
            worst_pain=None if pains is None else pains[i],
        )
        for i, c in enumerate(counts)
    ]


def simulated_nights(seed: int, **scenario: float) -> list[TrialNight]:
    """One trial drawn from the model (see Scenario for the knobs)."""
    options = {"cramps_per_week": 5.0, "rate_ratio": 0.7, "pairs": 6, **scenario}
    trials = simulate_trials(Scenario(**options), 1, np.random.default_rng(seed))  # type: ignore[arg-type]
    return trials.trial_nights(0)
