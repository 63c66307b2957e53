"""A smooth time trend as regression columns: a natural cubic spline, orthonormalised.

Cramp rates drift for reasons the diary does not record (season, illness, a new medicine). A few
smooth columns in every model soak up that slow drift, so a factor that happened to be common in a
bad month is not blamed for the month.
"""

from __future__ import annotations

import numpy as np

# One degree of freedom of trend per this many nights of diary: about one bend every two months,
# slow enough to leave night-to-night factor effects alone.
NIGHTS_PER_TREND_DF = 60
MAX_TREND_DF = 12


def trend_df(span_nights: int) -> int:
    """How many trend columns a diary of this length gets (0 below two months)."""
    return int(min(MAX_TREND_DF, span_nights // NIGHTS_PER_TREND_DF))


def natural_spline(x: np.ndarray, df: int) -> np.ndarray:
    """Natural cubic spline columns of ``x`` (without the constant), ``df`` of them.

    Knots are evenly spaced over the range of ``x``; df=1 is a straight line. Uses the truncated
    power form of Hastie, Tibshirani & Friedman (ESL, eq. 5.4-5.5), which is linear beyond the
    boundary knots.
    """
    if df <= 0:
        return np.zeros((x.size, 0))
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        return np.zeros((x.size, 0))
    t = (x - lo) / (hi - lo)
    if df == 1:
        return t[:, None]
    knots = np.linspace(0.0, 1.0, df + 1)
    last = knots[-1]

    def d(k: float) -> np.ndarray:
        column: np.ndarray = (np.maximum(t - k, 0.0) ** 3 - np.maximum(t - last, 0.0) ** 3) / (
            last - k
        )
        return column

    d_last = d(knots[-2])
    columns = [t] + [d(k) - d_last for k in knots[:-2]]
    return np.column_stack(columns)


def trend_columns(day: np.ndarray, df: int) -> np.ndarray:
    """Constant plus ``df`` spline columns, orthonormalised so that fitting stays well conditioned."""
    raw = np.column_stack([np.ones(day.size), natural_spline(day.astype(float), df)])
    q, r = np.linalg.qr(raw)
    # Drop directions that are numerically absent (e.g. fewer distinct nights than columns).
    keep = np.abs(np.diag(r)) > 1e-8 * max(1.0, float(np.abs(r[0, 0])))
    q = q[:, keep]
    # Keep the first column a positive constant so the intercept has the usual sign.
    if q[0, 0] < 0:
        q[:, 0] = -q[:, 0]
    return q
