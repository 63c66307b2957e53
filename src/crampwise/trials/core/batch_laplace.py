"""A fast approximate analysis of many simulated trials at once, for power and stopping rules.

It is the same model as ``negbin_grid`` but with only log k on a grid: for each k, alpha, beta and
the period effects are integrated by one joint Laplace approximation, so beta given k is normal and
its posterior is a mixture of normals over the k grid. All trials and all k values are solved
together in numpy arrays. It is a little less exact in the tails than the full grid (the research
notes found about 0.1 posterior SD, on the conservative side) and the tests check that it reaches
the same decisions as the full method on the same data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, ndtr

from crampwise.trials.core.negbin_grid import LOG_2PI, Priors
from crampwise.trials.core.simulate import SimulatedTrials, used_cells

LOG_K_GRID = np.linspace(-3.0, 6.0, 19)
MAX_NEWTON_STEPS = 60
MAX_STEP = 2.0


@dataclass(frozen=True)
class BatchPosterior:
    """For every trial: weights over the k grid and, per k, a normal posterior of beta."""

    weights: np.ndarray  # (trials, K), rows sum to 1
    beta_mean: np.ndarray  # (trials, K)
    beta_sd: np.ndarray  # (trials, K)

    def prob_below(self, value: float) -> np.ndarray:
        below: np.ndarray = (self.weights * ndtr((value - self.beta_mean) / self.beta_sd)).sum(
            axis=1
        )
        return below

    @property
    def mean(self) -> np.ndarray:
        mean: np.ndarray = (self.weights * self.beta_mean).sum(axis=1)
        return mean


def analyze_batch(
    trials: SimulatedTrials,
    *,
    periods: int | None = None,
    period_sd: float = 0.25,
    log_k_grid: np.ndarray = LOG_K_GRID,
) -> BatchPosterior:
    """Approximate posteriors of the log rate ratio for all trials, using the first ``periods``."""
    nights, cramps, arm, exceed = used_cells(trials, periods)
    return analyze_cells(nights, cramps, arm, exceed, period_sd=period_sd, log_k_grid=log_k_grid)


def analyze_cells(
    nights: np.ndarray,
    cramps: np.ndarray,
    arm: np.ndarray,
    exceed: np.ndarray,
    *,
    period_sd: float = 0.25,
    log_k_grid: np.ndarray = LOG_K_GRID,
) -> BatchPosterior:
    """The nested Laplace on per-period sums: arrays of shape (trials, periods)."""
    priors = Priors(alpha_mean=0.0, period_sd=period_sd)
    log_k = np.asarray(log_k_grid, dtype=float)[None, :, None]  # (1, K, 1)
    k = np.exp(log_k)
    n = nights[:, None, :]
    s_ = cramps[:, None, :]
    a = arm[:, None, :] - 0.5  # the symmetric form of the full model: +-1/2 around alpha
    total_nights = nights.sum(axis=1)
    # Same baseline prior as the full analysis: centred on the trial's own overall rate.
    alpha_mean = np.log((cramps.sum(axis=1) + 0.5) / np.maximum(total_nights, 1.0))[:, None]
    tau_a = 1.0 / priors.alpha_sd**2
    tau_b = 1.0 / priors.beta_sd**2
    use_u = period_sd > 0
    tau_u = 1.0 / period_sd**2 if use_u else 0.0

    shape = (nights.shape[0], log_k.shape[1])
    weight = s_ + n * k  # (T, K, P)
    alpha = np.broadcast_to(alpha_mean, shape).copy()
    beta = np.zeros(shape)
    u = np.zeros(shape + (nights.shape[1],))
    for _ in range(MAX_NEWTON_STEPS + 1):
        z = alpha[..., None] + beta[..., None] * a + u - log_k
        p = expit(z)
        slope = s_ - weight * p
        curv = weight * p * (1.0 - p)
        g_a = slope.sum(-1) - tau_a * (alpha - alpha_mean)
        g_b = (a * slope).sum(-1) - tau_b * beta
        q_aa = curv.sum(-1) + tau_a
        q_ab = (a * curv).sum(-1)
        q_bb = (a * a * curv).sum(-1) + tau_b
        if use_u:
            # Eliminate the period effects first (each touches only alpha and beta), leaving 2x2.
            g_u = slope - tau_u * u
            d = curv + tau_u
            c2d = curv * curv / d
            q_aa = q_aa - c2d.sum(-1)
            q_ab = q_ab - (a * c2d).sum(-1)
            q_bb = q_bb - (a * a * c2d).sum(-1)
            g_a = g_a - (curv * g_u / d).sum(-1)
            g_b = g_b - (a * curv * g_u / d).sum(-1)
        det = q_aa * q_bb - q_ab**2
        step_a = (q_bb * g_a - q_ab * g_b) / det
        step_b = (q_aa * g_b - q_ab * g_a) / det
        largest = np.maximum(np.abs(step_a), np.abs(step_b))
        if use_u:
            step_u = (g_u - curv * (step_a[..., None] + a * step_b[..., None])) / d
            largest = np.maximum(largest, np.abs(step_u).max(-1))
        if largest.max() < 1e-6:
            break
        shrink = np.minimum(1.0, MAX_STEP / np.maximum(largest, 1e-300))
        alpha = alpha + shrink * step_a
        beta = beta + shrink * step_b
        if use_u:
            u = u + shrink[..., None] * step_u

    log_joint = (s_ * z - weight * np.logaddexp(0.0, z)).sum(-1)
    steps = np.log(np.exp(log_k[0, :, 0])[:, None] + np.arange(exceed.shape[1])[None, :])  # (K, m)
    log_joint += exceed @ steps.T  # overdispersion constant; the log y! terms cancel between k
    log_joint += -0.5 * tau_a * (alpha - alpha_mean) ** 2 - 0.5 * (LOG_2PI - math.log(tau_a))
    log_joint += -0.5 * tau_b * beta**2 - 0.5 * (LOG_2PI - math.log(tau_b))
    log_det = np.log(det)
    dimension = 2
    if use_u:
        # Periods outside the look have no nights: their u integrates to one exactly, as it should.
        log_joint += (-0.5 * tau_u * u**2).sum(-1) - 0.5 * u.shape[-1] * (LOG_2PI - math.log(tau_u))
        log_det = log_det + np.log(d).sum(-1)
        dimension += u.shape[-1]
    log_evidence = log_joint + 0.5 * dimension * LOG_2PI - 0.5 * log_det
    log_post = log_evidence - 0.5 * (log_k[..., 0] / priors.log_k_sd) ** 2
    log_post -= log_post.max(axis=1, keepdims=True)
    weights = np.exp(log_post)
    weights /= weights.sum(axis=1, keepdims=True)
    return BatchPosterior(weights=weights, beta_mean=beta, beta_sd=np.sqrt(q_aa / det))
