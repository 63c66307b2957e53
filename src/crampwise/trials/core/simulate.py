"""Simulated trials: nightly counts from the model, for power, stopping rules and calibration.

The generator can be harsher than the analysis model on purpose (slow drift in the cramp rate
night to night, missing nights), so calibration checks show what happens when the model is only
approximately right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crampwise.trials.core.observations import TrialNight


@dataclass(frozen=True, slots=True)
class Scenario:
    cramps_per_week: float
    rate_ratio: float
    pairs: int
    period_nights: int = 7
    washout_nights: int = 0
    overdispersion: float = 1.5  # k: smaller is burstier; 1.5 is typical of cramp diaries
    period_sd: float = 0.25  # true spread of period-to-period shifts (log scale)
    drift_sd: float = 0.0  # slow night-to-night drift (latent AR(1) on the log rate)
    drift_rho: float = 0.9
    missing: float = 0.0  # chance that a night is not recorded
    block_periods: int = 2  # periods per randomization block, as in ``design.TrialDesign``

    def __post_init__(self) -> None:
        if self.block_periods not in (2, 4, 6) or (2 * self.pairs) % self.block_periods:
            raise ValueError("the periods must fill whole blocks of 2, 4 or 6 periods")

    @property
    def weeks(self) -> float:
        return 2 * self.pairs * self.period_nights / 7


@dataclass(frozen=True)
class SimulatedTrials:
    counts: np.ndarray  # (trials, nights) int; -1 where the night was not recorded
    treated: np.ndarray  # (trials, nights) bool
    period: np.ndarray  # (nights,) int
    block: np.ndarray  # (nights,) int
    washout: np.ndarray  # (nights,) bool

    @property
    def n_trials(self) -> int:
        return int(self.counts.shape[0])

    def trial_nights(self, index: int) -> list[TrialNight]:
        """One simulated trial as the nights the full analysis takes."""
        return [
            TrialNight(
                night=None,
                treated=bool(self.treated[index, t]),
                period=int(self.period[t]),
                washout=bool(self.washout[t]),
                cramps=None if self.counts[index, t] < 0 else int(self.counts[index, t]),
            )
            for t in range(self.counts.shape[1])
        ]


def simulate_trials(scenario: Scenario, n_trials: int, rng: np.random.Generator) -> SimulatedTrials:
    s = scenario
    periods = 2 * s.pairs
    n_nights = periods * s.period_nights
    period = np.repeat(np.arange(periods), s.period_nights)
    block = period // s.block_periods
    washout = np.tile(np.arange(s.period_nights) < s.washout_nights, periods)
    treated = _period_arms(s, n_trials, rng)[:, period]

    log_rate = math.log(s.cramps_per_week / 7) + np.where(treated, math.log(s.rate_ratio), 0.0)
    log_rate = log_rate + rng.normal(0.0, s.period_sd, (n_trials, periods))[:, period]
    if s.drift_sd > 0:
        log_rate = log_rate + _ar1(rng, n_trials, n_nights, s.drift_sd, s.drift_rho)
    mean = np.exp(log_rate)
    counts = rng.poisson(rng.gamma(s.overdispersion, mean / s.overdispersion))
    if s.missing > 0:
        counts = np.where(rng.random(counts.shape) < s.missing, -1, counts)
    return SimulatedTrials(
        counts=counts, treated=treated, period=period, block=block, washout=washout
    )


def _period_arms(s: Scenario, n_trials: int, rng: np.random.Generator) -> np.ndarray:
    """Per trial and period, whether it is a remedy period: each block in its own random order."""
    periods = 2 * s.pairs
    if s.block_periods == 2:
        # One coin per pair; the draws are kept as they were so old simulations repeat exactly.
        first_treated = rng.random((n_trials, s.pairs)) < 0.5
        period_treated = np.empty((n_trials, periods), dtype=bool)
        period_treated[:, 0::2] = first_treated
        period_treated[:, 1::2] = ~first_treated
        return period_treated
    half = s.block_periods // 2
    one_block = np.array([True] * half + [False] * half)
    blocks = np.broadcast_to(one_block, (n_trials, periods // s.block_periods, s.block_periods))
    shuffled: np.ndarray = rng.permuted(blocks, axis=2).reshape(n_trials, periods)
    return shuffled


def _ar1(rng: np.random.Generator, n: int, length: int, sd: float, rho: float) -> np.ndarray:
    """Stationary AR(1) paths with marginal standard deviation ``sd``."""
    noise = rng.normal(0.0, sd * math.sqrt(1 - rho**2), (n, length))
    path = np.empty((n, length))
    path[:, 0] = rng.normal(0.0, sd, n)
    for t in range(1, length):
        path[:, t] = rho * path[:, t - 1] + noise[:, t]
    return path


def used_cells(
    trials: SimulatedTrials, periods: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per trial and period: used nights, cramps, arm; and the count histogram tail for k.

    Only the first ``periods`` periods are kept (an interim look); later ones are dropped.
    """
    n_periods = int(trials.period.max()) + 1 if periods is None else periods
    included = trials.period < n_periods
    used = (trials.counts >= 0) & ~trials.washout[None, :] & included[None, :]
    y = np.where(used, trials.counts, 0)
    onehot = np.zeros((trials.period.size, n_periods))
    onehot[np.flatnonzero(included), trials.period[included]] = 1.0
    nights = used.astype(float) @ onehot
    cramps = y.astype(float) @ onehot
    arm = (trials.treated.astype(float) @ onehot) / np.maximum(onehot.sum(axis=0), 1.0)
    top = int(y.max()) if y.size else 0
    levels = np.arange(max(top, 1))
    exceed = (y[:, :, None] > levels[None, None, :]).sum(axis=1).astype(float)
    return nights, cramps, arm, exceed
