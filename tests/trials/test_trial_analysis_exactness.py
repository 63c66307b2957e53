"""The fast grid-Laplace posterior against brute-force integration over every parameter."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crampwise.trials.core.counts import count_cells
from crampwise.trials.core.negbin_grid import Priors, fit_posterior
from tests.trials.exact_posterior import exact_beta_posterior


def _small_trial(seed: int, periods: int, per_week: float, ratio: float, k: float = 1.5):
    """A small seeded trial: 7-night periods, each pair in random order, drifting periods."""
    rng = np.random.default_rng(seed)
    period = np.repeat(np.arange(periods), 7)
    arms = np.concatenate([rng.permutation([0, 1]) for _ in range(periods // 2)])
    treated = np.repeat(arms, 7).astype(bool)
    mean = (
        np.where(treated, ratio, 1.0)
        * per_week
        / 7
        * np.exp(np.repeat(rng.normal(0, 0.25, periods), 7))
    )
    counts = rng.poisson(rng.gamma(k, mean / k))
    return count_cells(counts, treated, period)


CASES = [
    pytest.param(1, 4, 5.0, 0.7, 0.25, id="4 periods, 5 a week"),
    pytest.param(2, 4, 2.0, 0.7, 0.25, id="sparse: no cramps on the remedy"),
    pytest.param(3, 6, 7.0, 0.5, 0.25, id="6 periods, 7 a week, halving"),
    pytest.param(4, 4, 1.0, 1.0, 0.25, id="very sparse, no effect"),
    pytest.param(1, 4, 5.0, 0.7, 0.0, id="without period effects"),
]


@pytest.mark.parametrize(("seed", "periods", "per_week", "ratio", "period_sd"), CASES)
def test_fast_posterior_matches_brute_force_integration(seed, periods, per_week, ratio, period_sd):
    """Mean, SD and quantiles of log RR within 0.02 posterior SD; probabilities within 0.005."""
    cells = _small_trial(seed, periods, per_week, ratio)
    priors = Priors(alpha_mean=math.log(3 / 7), period_sd=period_sd)
    exact = exact_beta_posterior(cells, priors, beta_reach=4.5, alpha_reach=5.0)
    assert exact.edge_mass < 1e-3  # the reference grid holds the whole posterior
    fast = fit_posterior(cells, priors).beta_marginal
    sd = exact.sd
    assert abs(fast.mean - exact.mean) <= 0.02 * sd
    assert abs(fast.sd - exact.sd) <= 0.02 * sd
    for q in (0.025, 0.5, 0.975):
        assert abs(fast.quantile(q) - exact.quantile(q)) <= 0.02 * sd
    for cut in (0.0, math.log(0.8), math.log(0.5)):
        assert abs(fast.prob_below(cut) - exact.prob_below(cut)) <= 0.005
