"""Summaries of a one-dimensional posterior known on a grid of points.

The log density is smooth and close to a parabola, so a cubic spline through it, sampled on a grid
several times finer, integrates far more accurately than the trapezoid rule on the coarse points.
That matters for tail probabilities such as P(rate ratio < 0.8), which must be right to about 0.001.
The spline is written out here (a natural cubic spline on even points) rather than imported from
scipy.interpolate, whose import alone costs more than a whole analysis in the command line tool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Marginal:
    x: np.ndarray  # fine, evenly spaced points
    cdf: np.ndarray  # P(X <= x) at those points
    mean: float
    sd: float

    def prob_below(self, value: float) -> float:
        return float(np.interp(value, self.x, self.cdf, left=0.0, right=1.0))

    def quantile(self, q: float) -> float:
        # The CDF can be flat in far tails; searching the strictly increasing part avoids ties.
        keep = np.concatenate(([True], np.diff(self.cdf) > 0))
        return float(np.interp(q, self.cdf[keep], self.x[keep]))

    @property
    def median(self) -> float:
        return self.quantile(0.5)


def marginal_from_log_density(
    x: np.ndarray, log_density: np.ndarray, upsample: int = 16
) -> Marginal:
    """Normalise an unnormalised log density given on evenly spaced points."""
    x = np.asarray(x, dtype=float)
    log_density = np.asarray(log_density, dtype=float)
    peak = float(log_density.max())
    # Far-tail values carry no mass but can make the spline wiggle; floor them.
    floored = np.maximum(log_density - peak, -60.0)
    fine = np.linspace(x[0], x[-1], (x.size - 1) * upsample + 1)
    density = np.exp(_natural_spline(floored, upsample))
    step = fine[1] - fine[0]
    pieces = 0.5 * (density[1:] + density[:-1]) * step
    cdf = np.concatenate(([0.0], np.cumsum(pieces)))
    total = cdf[-1]
    cdf /= total
    weights = density * step
    weights[0] *= 0.5
    weights[-1] *= 0.5
    weights /= weights.sum()
    mean = float(weights @ fine)
    sd = float(np.sqrt(max(weights @ (fine - mean) ** 2, 0.0)))
    return Marginal(x=fine, cdf=cdf, mean=mean, sd=sd)


def _natural_spline(y: np.ndarray, upsample: int) -> np.ndarray:
    """A natural cubic spline through evenly spaced values, sampled ``upsample`` times finer.

    Works in units of the grid step, so the step cancels out.
    """
    n = y.size
    second = np.zeros(n)  # second derivatives; zero at both ends (natural spline)
    if n > 2:
        system = 4.0 * np.eye(n - 2) + np.eye(n - 2, k=1) + np.eye(n - 2, k=-1)
        second[1:-1] = np.linalg.solve(system, 6.0 * (y[2:] - 2.0 * y[1:-1] + y[:-2]))
    t = np.tile(np.arange(upsample) / upsample, n - 1)
    left = np.repeat(np.arange(n - 1), upsample)
    u = 1.0 - t
    values = (
        u * y[left]
        + t * y[left + 1]
        + ((u**3 - u) * second[left] + (t**3 - t) * second[left + 1]) / 6.0
    )
    return np.concatenate((values, y[-1:]))
