"""Brute-force numerical integration of the trial model's posterior, as a test reference.

Every parameter is integrated on a dense grid. The model's alpha is the average of the two arms' log
rates; the reference integrates over the control arm's log rate c = alpha - beta/2 instead (a shift
with unit Jacobian), so that c and c + beta fall on one lattice and each period's likelihood can be tabulated once), log k on its own
grid, and each period effect u_p by 64-point Gauss-Hermite quadrature. Because the u_p enter the
likelihood one period at a time, the integral over all of them is the product of one-dimensional
integrals: summing the full tensor grid would give the same number, only far slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from crampwise.trials.core.counts import CountCells
from crampwise.trials.core.negbin_grid import Priors


@dataclass(frozen=True)
class ExactBeta:
    beta: np.ndarray
    density: np.ndarray  # normalised so that the trapezoid sum over beta is 1
    edge_mass: float  # largest relative density on any edge of any grid: must be tiny

    def _weights(self) -> np.ndarray:
        step = self.beta[1] - self.beta[0]
        w = self.density * step
        w[0] *= 0.5
        w[-1] *= 0.5
        return w / w.sum()

    @property
    def mean(self) -> float:
        return float(self._weights() @ self.beta)

    @property
    def sd(self) -> float:
        w = self._weights()
        return float(np.sqrt(w @ (self.beta - self.mean) ** 2))

    def cdf(self) -> np.ndarray:
        step = self.beta[1] - self.beta[0]
        pieces = 0.5 * (self.density[1:] + self.density[:-1]) * step
        c = np.concatenate(([0.0], np.cumsum(pieces)))
        return c / c[-1]

    def prob_below(self, value: float) -> float:
        return float(np.interp(value, self.beta, self.cdf()))

    def quantile(self, q: float) -> float:
        return float(np.interp(q, self.cdf(), self.beta))


def exact_beta_posterior(
    cells: CountCells,
    priors: Priors,
    *,
    step: float = 0.03,
    beta_reach: float = 4.0,
    alpha_reach: float = 4.0,
    log_k_grid: np.ndarray | None = None,
) -> ExactBeta:
    """The marginal posterior of beta by dense integration over every parameter."""
    if cells.nights.size != cells.n_periods:
        raise ValueError("the reference assumes one arm per period")
    if log_k_grid is None:
        log_k_grid = np.linspace(-6.0, 8.0, 41)  # 0.35 apart: the log k integrand is smooth
    centre = math.log((cells.total_cramps + 0.5) / cells.total_nights)
    n_alpha = int(round(2 * alpha_reach / step)) + 1
    n_beta_half = int(round(beta_reach / step))
    alpha = centre - alpha_reach + step * np.arange(n_alpha)
    beta = step * np.arange(-n_beta_half, n_beta_half + 1)
    eta = centre - alpha_reach + step * np.arange(-n_beta_half, n_alpha + n_beta_half)
    nodes, gh_weights = np.polynomial.hermite.hermgauss(64)
    if priors.period_sd > 0:
        u = math.sqrt(2.0) * priors.period_sd * nodes
        log_w = np.log(gh_weights / math.sqrt(math.pi))
    else:
        u, log_w = np.zeros(1), np.zeros(1)

    # "alpha" below is the control arm's log rate c; the prior sits on the average c + beta/2.
    average = alpha[:, None] + 0.5 * beta[None, :]
    log_prior_alpha = -0.5 * ((average - priors.alpha_mean) / priors.alpha_sd) ** 2
    log_prior_beta = -0.5 * (beta / priors.beta_sd) ** 2
    treated = cells.treated.astype(bool)
    accumulated = np.full(beta.size, -np.inf)
    alpha_edge = -np.inf
    per_k_peak = []
    for log_k in log_k_grid:
        k = math.exp(log_k)
        z = eta[:, None] + u[None, :] - log_k  # (eta, node)
        # log of the period's likelihood at eta, averaged over its random effect
        per_cell = []
        for c in range(cells.nights.size):
            s, n = cells.cramps[c], cells.nights[c]
            ll = s * z - (s + n * k) * np.logaddexp(0.0, z)
            per_cell.append(logsumexp(ll + log_w[None, :], axis=1))
        table = np.array(per_cell)  # (cell, eta)
        control = table[~treated].sum(axis=0)[n_beta_half : n_beta_half + n_alpha]
        idx = np.arange(n_alpha)[:, None] + np.arange(beta.size)[None, :]
        treat = table[treated].sum(axis=0)[idx]  # (alpha, beta): eta = alpha + beta
        joint = control[:, None] + treat + log_prior_alpha + log_prior_beta[None, :]
        joint += float(cells.overdispersion_constant(np.array(k)))
        joint += -0.5 * (log_k / priors.log_k_sd) ** 2
        over_alpha = logsumexp(joint, axis=0)
        accumulated = np.logaddexp(accumulated, over_alpha)
        alpha_edge = max(alpha_edge, float(logsumexp(joint[[0, -1], :])))
        per_k_peak.append(float(over_alpha.max()))
    top = accumulated.max()
    density = np.exp(accumulated - top)
    step_beta = beta[1] - beta[0]
    density /= density.sum() * step_beta
    peaks = np.array(per_k_peak)
    edge = max(
        float(density[[0, -1]].max() / density.max()),
        math.exp(alpha_edge - top),
        math.exp(max(peaks[0], peaks[-1]) - peaks.max()),
    )
    return ExactBeta(beta=beta, density=density, edge_mass=edge)
