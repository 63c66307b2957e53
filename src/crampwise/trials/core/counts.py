"""Nightly counts reduced to what the negative binomial model needs.

Within one period every night shares the same rate (same arm, same period effect), so the
likelihood of the period depends on its counts only through the number of nights and the total.
The overdispersion part of the likelihood depends on the histogram of counts. Working from these
sums instead of night by night is what makes the analysis take milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CountCells:
    """One cell per (period, arm) holding used nights, with its sums."""

    nights: np.ndarray  # (C,) float: used nights in the cell
    cramps: np.ndarray  # (C,) float: total cramps in the cell
    treated: np.ndarray  # (C,) float: 1.0 on the remedy arm
    period: np.ndarray  # (C,) int: index into 0..n_periods-1
    n_periods: int
    exceed: np.ndarray  # (m,) float: exceed[i] = nights with more than i cramps
    log_factorials: float  # sum of log(y!) over used nights

    @property
    def total_nights(self) -> int:
        return int(self.nights.sum())

    @property
    def total_cramps(self) -> int:
        return int(self.cramps.sum())

    def arm_totals(self, treated: bool) -> tuple[int, int]:
        mask = self.treated == (1.0 if treated else 0.0)
        return int(self.nights[mask].sum()), int(self.cramps[mask].sum())

    def overdispersion_constant(self, k: np.ndarray) -> np.ndarray:
        """Sum over nights of log Gamma(y + k) - log Gamma(k) - log y!, for each k.

        log Gamma(y + k) - log Gamma(k) = sum_{i < y} log(k + i), so it is a dot product with the
        number of nights whose count exceeds i.
        """
        k = np.asarray(k, dtype=float)
        if self.exceed.size == 0:
            return np.full(k.shape, -self.log_factorials)
        steps = np.log(k[..., None] + np.arange(self.exceed.size))
        log_terms: np.ndarray = steps @ self.exceed - self.log_factorials
        return log_terms


def count_cells(
    cramps: Sequence[int] | np.ndarray,
    treated: Sequence[bool] | np.ndarray,
    period: Sequence[int] | np.ndarray,
) -> CountCells:
    """Reduce used nights (no missing, no washout) to cells."""
    y = np.asarray(cramps, dtype=np.int64)
    a = np.asarray(treated, dtype=bool)
    p = np.asarray(period, dtype=np.int64)
    if not (y.shape == a.shape == p.shape) or y.ndim != 1:
        raise ValueError("cramps, treated and period must be 1-D and the same length")
    if y.size and y.min() < 0:
        raise ValueError("cramp counts cannot be negative")
    # Renumber periods 0..P-1 over the periods that have used nights: a period with no data
    # contributes nothing and its random effect would only integrate to one.
    _, period_codes = np.unique(p, return_inverse=True)
    keys = period_codes * 2 + a.astype(np.int64)
    cell_keys, cell_index = np.unique(keys, return_inverse=True)
    nights = np.bincount(cell_index, minlength=cell_keys.size).astype(float)
    totals = np.bincount(cell_index, weights=y, minlength=cell_keys.size).astype(float)
    top = int(y.max()) if y.size else 0
    histogram = np.bincount(y, minlength=top + 1) if y.size else np.zeros(1, dtype=np.int64)
    exceed = (y.size - np.cumsum(histogram))[:top].astype(float)
    return CountCells(
        nights=nights,
        cramps=totals,
        treated=(cell_keys % 2).astype(float),
        period=(cell_keys // 2).astype(np.int64),
        n_periods=int(period_codes.max() + 1) if y.size else 0,
        exceed=exceed,
        log_factorials=float(exceed @ np.log(np.arange(1, top + 1))) if top else 0.0,
    )
