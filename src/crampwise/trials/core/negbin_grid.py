"""Posterior of the negative binomial trial model, by a grid with Laplace inside (INLA-style).

Model, for used night t in period p(t):

    y_t ~ NegBin(mean mu_t, size k)            variance mu + mu^2 / k
    log mu_t = alpha + beta * (A_t - 1/2) + u_p(t)     A_t = 1 on remedy nights, 0 without
    u_p ~ N(0, sigma_p^2)                      slow drift between periods
    alpha ~ N(log baseline rate, 2^2), beta ~ N(0, 1), log k ~ N(0, 1.5^2)

beta is the log rate ratio. alpha is the average of the two arms' log rates, so the baseline prior
pulls both arms alike: calling the other arm "the remedy" turns beta into -beta and nothing else.
(A prior on the control arm alone pulls one arm towards the run-in and so leans beta one way.) The two parameters whose posteriors can be skewed, beta and log k, sit on
an explicit grid; for each grid point the nuisance parameters (alpha and the u_p) are integrated out
with a Laplace approximation. Their conditional posterior is nearly normal (the u_p are held close to
zero by their prior), so the approximation is very close to exact integration; the tests check it
against brute-force integration over every parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crampwise.trials.core.counts import CountCells
from crampwise.trials.core.grid_marginal import Marginal, marginal_from_log_density

LOG_2PI = math.log(2.0 * math.pi)
MAX_NEWTON_STEPS = 60
MAX_STEP = 2.0  # a damped first step keeps Newton safe when a cell has no cramps at all


@dataclass(frozen=True, slots=True)
class Priors:
    alpha_mean: float  # log of the baseline cramps per night
    alpha_sd: float = 2.0
    beta_sd: float = 1.0
    log_k_sd: float = 1.5
    period_sd: float = 0.25  # 0 turns the period effect off

    def __post_init__(self) -> None:
        if min(self.alpha_sd, self.beta_sd, self.log_k_sd) <= 0 or self.period_sd < 0:
            raise ValueError("prior standard deviations must be positive")


def _softplus(z: np.ndarray) -> np.ndarray:
    softplus: np.ndarray = np.logaddexp(0.0, z)
    return softplus


def expit(z: np.ndarray) -> np.ndarray:
    """The logistic function without overflow (numpy only: keeps scipy out of the CLI's start-up)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def arrow_newton_step(
    grad_alpha: np.ndarray,
    prec_alpha: np.ndarray,
    cross: np.ndarray,
    grad_u: np.ndarray,
    prec_u: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One Newton step for alpha and the period effects u (on the last axis).

    The precision matrix is an arrow: alpha touches every u_p, the u_p only alpha. Eliminating the
    u_p first (Schur complement) solves it in O(P). Returns the steps of alpha and u, the Schur
    complement (alpha's precision once the u_p are integrated out) and the largest step.
    """
    ratio = cross / prec_u
    schur = prec_alpha - (cross * ratio).sum(axis=-1)
    step_alpha = (grad_alpha - (ratio * grad_u).sum(axis=-1)) / schur
    step_u = (grad_u - cross * step_alpha[..., None]) / prec_u
    largest = np.maximum(np.abs(step_alpha), np.abs(step_u).max(axis=-1))
    return step_alpha, step_u, schur, largest


def laplace_log_evidence(
    cells: CountCells, priors: Priors, beta: np.ndarray, log_k: np.ndarray
) -> np.ndarray:
    """log of the integral over alpha and the u_p, for each (beta, log k) pair, by Laplace."""
    beta = np.asarray(beta, dtype=float)
    log_k = np.asarray(log_k, dtype=float)
    k = np.exp(log_k)
    cramps = cells.cramps
    nights = cells.nights
    use_periods = priors.period_sd > 0 and cells.n_periods > 0
    n_periods = cells.n_periods if use_periods else 0

    # Per night, log NB = y*z - (y + k)*softplus(z) + constants, with z = log mu - log k; summed over
    # a cell, y and the night count enter only as the cell's totals.
    weight = cramps[None, :] + nights[None, :] * k[:, None]
    arm = cells.treated - 0.5  # -1/2 without the remedy, +1/2 with it: the symmetric form
    offset = beta[:, None] * arm[None, :] - log_k[:, None]
    tau_alpha = 1.0 / priors.alpha_sd**2
    exposure = (nights[None, :] * np.exp(beta[:, None] * arm[None, :])).sum(axis=1)
    alpha = np.log((cells.total_cramps + 0.5) / exposure)
    if use_periods:
        tau_u = 1.0 / priors.period_sd**2
        one_cell_per_period = cells.nights.size == n_periods
        member = np.zeros((cells.nights.size, n_periods))
        member[np.arange(cells.nights.size), cells.period] = 1.0
        u = np.zeros((beta.size, n_periods))

    def by_period(values: np.ndarray) -> np.ndarray:
        return values if one_cell_per_period else values @ member

    for _ in range(MAX_NEWTON_STEPS + 1):
        z = alpha[:, None] + offset
        if use_periods:
            z = z + (u if one_cell_per_period else u[:, cells.period])
        s = expit(z)
        slope = cramps[None, :] - weight * s
        curvature = weight * s * (1.0 - s)
        grad_alpha = slope.sum(axis=1) - tau_alpha * (alpha - priors.alpha_mean)
        prec_alpha = curvature.sum(axis=1) + tau_alpha
        if use_periods:
            cross = by_period(curvature)
            grad_u = by_period(slope) - tau_u * u
            prec_u = cross + tau_u
            step_alpha, step_u, schur, largest = arrow_newton_step(
                grad_alpha, prec_alpha, cross, grad_u, prec_u
            )
        else:
            schur = prec_alpha
            step_alpha = grad_alpha / prec_alpha
            largest = np.abs(step_alpha)
        if largest.max() < 1e-6:
            break
        shrink = np.minimum(1.0, MAX_STEP / np.maximum(largest, 1e-300))
        alpha = alpha + shrink * step_alpha
        if use_periods:
            u = u + shrink[:, None] * step_u

    log_joint = (cramps[None, :] * z - weight * _softplus(z)).sum(axis=1)
    log_joint += cells.overdispersion_constant(k)
    log_joint += -0.5 * tau_alpha * (alpha - priors.alpha_mean) ** 2 - 0.5 * (
        LOG_2PI + 2 * math.log(priors.alpha_sd)
    )
    log_det = np.log(schur)
    if use_periods:
        log_joint += -0.5 * tau_u * (u**2).sum(axis=1) - 0.5 * n_periods * (
            LOG_2PI + 2 * math.log(priors.period_sd)
        )
        log_det = log_det + np.log(prec_u).sum(axis=1)
    dimension = 1 + n_periods
    evidence: np.ndarray = log_joint + 0.5 * dimension * LOG_2PI - 0.5 * log_det
    return evidence


def _normal_logpdf(x: np.ndarray, sd: float) -> np.ndarray:
    return -0.5 * (x / sd) ** 2 - math.log(sd) - 0.5 * LOG_2PI


def log_posterior_grid(
    cells: CountCells, priors: Priors, beta: np.ndarray, log_k: np.ndarray
) -> np.ndarray:
    """Unnormalised log posterior of (beta, log k) on the grid beta x log_k."""
    b, lk = np.meshgrid(beta, log_k, indexing="ij")
    evidence = laplace_log_evidence(cells, priors, b.ravel(), lk.ravel()).reshape(b.shape)
    posterior: np.ndarray = (
        evidence + _normal_logpdf(b, priors.beta_sd) + _normal_logpdf(lk, priors.log_k_sd)
    )
    return posterior


@dataclass(frozen=True)
class GridPosterior:
    beta: np.ndarray
    log_k: np.ndarray
    log_density: np.ndarray  # (len(beta), len(log_k)), unnormalised
    beta_marginal: Marginal
    log_k_marginal: Marginal


def _log_marginals(log_density: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    peak = log_density.max()
    dens = np.exp(log_density - peak)
    with np.errstate(divide="ignore"):
        return np.log(dens.sum(axis=1)), np.log(dens.sum(axis=0))


def _support(x: np.ndarray, log_marginal: np.ndarray, drop: float) -> tuple[float, float]:
    """The range where the marginal is within e^-drop of its peak, padded by one grid step."""
    inside = np.flatnonzero(log_marginal >= log_marginal.max() - drop)
    lo = max(inside[0] - 1, 0)
    hi = min(inside[-1] + 1, x.size - 1)
    return float(x[lo]), float(x[hi])


# Where the mass can be: beta within 6 prior SDs (the data rarely move it far beyond the prior's
# reach), log k from very overdispersed (k = 0.0025) to practically Poisson (k = 3000).
COARSE_BETA_POINTS = 25
LOG_K_BOUNDS = (-6.0, 8.0)
COARSE_LOG_K_POINTS = 15
SUPPORT_DROP = 14.0  # e^-14: less than a millionth of the peak
EDGE_DROP = 11.0


def _widen(
    log_marginal: np.ndarray, span: tuple[float, float], limit: tuple[float, float]
) -> tuple[float, float]:
    lo, hi = span
    width = hi - lo
    top = log_marginal.max()
    if log_marginal[0] > top - EDGE_DROP and lo > limit[0]:
        lo = max(lo - 0.5 * width, limit[0])
    if log_marginal[-1] > top - EDGE_DROP and hi < limit[1]:
        hi = min(hi + 0.5 * width, limit[1])
    return lo, hi


def fit_posterior(
    cells: CountCells, priors: Priors, *, beta_points: int = 49, log_k_points: int = 17
) -> GridPosterior:
    """Locate the posterior on a coarse grid, then integrate it on a fine grid fitted to it."""
    beta_reach = 6.0 * priors.beta_sd
    beta = np.linspace(-beta_reach, beta_reach, COARSE_BETA_POINTS)
    log_k = np.linspace(*LOG_K_BOUNDS, COARSE_LOG_K_POINTS)
    coarse = log_posterior_grid(cells, priors, beta, log_k)
    beta_log_m, log_k_log_m = _log_marginals(coarse)
    beta_range = _support(beta, beta_log_m, SUPPORT_DROP)
    log_k_range = _support(log_k, log_k_log_m, SUPPORT_DROP)

    for _ in range(4):
        beta = np.linspace(*beta_range, beta_points)
        log_k = np.linspace(*log_k_range, log_k_points)
        fine = log_posterior_grid(cells, priors, beta, log_k)
        beta_log_m, log_k_log_m = _log_marginals(fine)
        # If real mass sits at an edge of the fine grid, the coarse pass cut it off: widen and redo.
        wider_beta = _widen(beta_log_m, beta_range, (-2 * beta_reach, 2 * beta_reach))
        wider_log_k = _widen(log_k_log_m, log_k_range, LOG_K_BOUNDS)
        if (wider_beta, wider_log_k) == (beta_range, log_k_range):
            break
        beta_range, log_k_range = wider_beta, wider_log_k

    return GridPosterior(
        beta=beta,
        log_k=log_k,
        log_density=fine,
        beta_marginal=marginal_from_log_density(beta, beta_log_m),
        log_k_marginal=marginal_from_log_density(log_k, log_k_log_m),
    )
