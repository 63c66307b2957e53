"""Each person's likelihood of their log rate ratio, for many people at once.

The same Laplace step as ``negbin_grid.laplace_log_evidence`` (baseline alpha and period effects
integrated out for each (beta, log k)), written for a batch of trials so that one numpy pass serves
many people. Trials of different shapes are padded with empty cells and empty periods: an empty
cell adds nothing, and an empty period's effect integrates to exactly one under its prior, so the
padding changes no value. log k is then integrated by a trapezoid under its own N(0, 1.5^2) prior.
There is no prior on beta here: this is the likelihood, not the posterior.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from crampwise.trials.core.counts import CountCells
from crampwise.trials.core.negbin_grid import (
    LOG_2PI,
    MAX_NEWTON_STEPS,
    MAX_STEP,
    arrow_newton_step,
    expit,
)

LOG_K_GRID = np.linspace(-6.0, 8.0, 29)  # the range the single trial searches, every 0.5
BATCH = 10  # trials per numpy pass: bounds memory for long trials and large series


def log_likelihoods(
    cells: Sequence[CountCells],
    alpha_means: Sequence[float],
    beta: np.ndarray,
    *,
    alpha_sd: float,
    period_sd: float,
    log_k_sd: float,
    log_k: np.ndarray = LOG_K_GRID,
) -> np.ndarray:
    """log p(trial i | beta) for every trial and every beta: shape (trials, len(beta))."""
    rows = [
        _batch(
            cells[start : start + BATCH],
            alpha_means[start : start + BATCH],
            beta,
            log_k,
            alpha_sd=alpha_sd,
            period_sd=period_sd,
            log_k_sd=log_k_sd,
        )
        for start in range(0, len(cells), BATCH)
    ]
    stacked: np.ndarray = np.concatenate(rows, axis=0)
    return stacked


def _batch(
    cells: Sequence[CountCells],
    alpha_means: Sequence[float],
    beta: np.ndarray,
    log_k: np.ndarray,
    *,
    alpha_sd: float,
    period_sd: float,
    log_k_sd: float,
) -> np.ndarray:
    evidence = _log_evidence(cells, alpha_means, beta, log_k, alpha_sd, period_sd)
    evidence = evidence.reshape(len(cells), beta.size, log_k.size)
    evidence += -0.5 * (log_k / log_k_sd) ** 2 - math.log(log_k_sd) - 0.5 * LOG_2PI
    peak = evidence.max(axis=2, keepdims=True)
    step = float(log_k[1] - log_k[0])
    trapezoid = np.full(log_k.size, step)
    trapezoid[[0, -1]] *= 0.5
    log_lik: np.ndarray = peak[..., 0] + np.log(np.exp(evidence - peak) @ trapezoid)
    return log_lik


def _log_evidence(
    cells: Sequence[CountCells],
    alpha_means: Sequence[float],
    beta: np.ndarray,
    log_k: np.ndarray,
    alpha_sd: float,
    period_sd: float,
) -> np.ndarray:
    """log of the integral over alpha and the u_p for each trial and (beta, log k): (T, G)."""
    n = len(cells)
    width = max(c.nights.size for c in cells)
    periods = max(c.n_periods for c in cells)
    use_periods = period_sd > 0
    nights = np.zeros((n, width))
    cramps = np.zeros((n, width))
    arm = np.zeros((n, width))
    member = np.zeros((n, width, periods))
    top = max(c.exceed.size for c in cells)
    exceed = np.zeros((n, top))
    for i, c in enumerate(cells):
        size = c.nights.size
        nights[i, :size] = c.nights
        cramps[i, :size] = c.cramps
        arm[i, :size] = c.treated - 0.5  # the symmetric form: alpha is the arms' average
        member[i, np.arange(size), c.period] = 1.0
        exceed[i, : c.exceed.size] = c.exceed
    log_factorials = np.array([c.log_factorials for c in cells])
    alpha_mean = np.asarray(alpha_means, dtype=float)[:, None]
    # Within a period the arm is fixed (the schedule and the CSV reader ensure it), so usually
    # each cell is its own period and the period sums need no matrix product.
    identity = all(c.nights.size == c.n_periods for c in cells) and width == periods

    b, lk = np.meshgrid(beta, log_k, indexing="ij")
    b = b.ravel()[None, :, None]
    lk_flat = lk.ravel()
    lk3 = lk_flat[None, :, None]
    k3 = np.exp(lk3)
    cramps3 = cramps[:, None, :]
    weight = cramps3 + nights[:, None, :] * k3  # (T, G, C)
    offset = b * arm[:, None, :] - lk3
    exposure = (nights[:, None, :] * np.exp(b * arm[:, None, :])).sum(axis=2)
    total = cramps.sum(axis=1)[:, None]
    alpha = np.log((total + 0.5) / np.maximum(exposure, 1e-300))
    tau_alpha = 1.0 / alpha_sd**2
    tau_u = 1.0 / period_sd**2 if use_periods else 0.0
    u = np.zeros((n, lk_flat.size, periods))
    member_t = np.swapaxes(member, 1, 2)

    def to_cells(values: np.ndarray) -> np.ndarray:
        return values if identity else values @ member_t

    def by_period(values: np.ndarray) -> np.ndarray:
        return values if identity else values @ member

    for _ in range(MAX_NEWTON_STEPS + 1):
        z = alpha[..., None] + offset
        if use_periods:
            z = z + to_cells(u)
        s = expit(z)
        slope = cramps3 - weight * s
        curvature = weight * s * (1.0 - s)
        grad_alpha = slope.sum(axis=2) - tau_alpha * (alpha - alpha_mean)
        prec_alpha = curvature.sum(axis=2) + tau_alpha
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
            u = u + shrink[..., None] * step_u

    log_joint = (cramps3 * z - weight * np.logaddexp(0.0, z)).sum(axis=2)
    if top:
        steps = np.log(np.exp(lk_flat)[:, None] + np.arange(top)[None, :])  # (G, m)
        log_joint += exceed @ steps.T
    log_joint -= log_factorials[:, None]
    log_joint += -0.5 * tau_alpha * (alpha - alpha_mean) ** 2 - 0.5 * (
        LOG_2PI + 2 * math.log(alpha_sd)
    )
    log_det = np.log(schur)
    dimension = 1
    if use_periods:
        # Padded periods: u stays 0 and their prior and determinant terms cancel exactly.
        log_joint += -0.5 * tau_u * (u**2).sum(axis=2) - 0.5 * periods * (
            LOG_2PI + 2 * math.log(period_sd)
        )
        log_det = log_det + np.log(prec_u).sum(axis=2)
        dimension += periods
    evidence: np.ndarray = log_joint + 0.5 * dimension * LOG_2PI - 0.5 * log_det
    return evidence
