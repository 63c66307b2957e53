"""A Poisson log-linear model fitted by IRLS, with standard errors robust to over-dispersion and to
nights that resemble their neighbours.

Why Poisson and not a negative binomial likelihood: the Poisson estimating equations give the right
rate ratios whatever the true variance is, and the robust variance below does not trust the
Poisson variance. Negative binomial weights were tried and gained about 1% power at the cost of
slightly worse false-alarm rates in simulation, so they are not used.

Why not the usual Newey-West variance: with drift and factors that come in runs, its errors are
too small in a diary of a few months. We use the equal-weighted cosine (EWC) estimator of the
long-run variance (Lazarus, Lewis, Stock & Watson, J Bus Econ Stat 2018), whose t-statistic
follows a t distribution, so p-values and intervals stay honest under serial correlation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

_MAX_ETA = 30.0  # exp(30) cramps a night: a bound only reached by a diverging fit


@dataclass(frozen=True)
class PoissonFit:
    coef: np.ndarray
    mu: np.ndarray
    bread_inv: np.ndarray  # inverse of X' diag(mu) X + diag(penalty) at the solution
    penalty: np.ndarray
    converged: bool


def fit_poisson(
    x: np.ndarray,
    y: np.ndarray,
    *,
    offset: np.ndarray | None = None,
    penalty: np.ndarray | None = None,
    start_mu: np.ndarray | None = None,
    max_iter: int = 50,
    tol: float = 1e-8,
) -> PoissonFit:
    """Maximise the Poisson log-likelihood, less a ridge ``0.5 * b' diag(penalty) b``, by IRLS.

    The small ridge keeps estimates finite when a column separates the data (e.g. a factor present
    only on nights without cramps); it is far too weak to move a real estimate.
    """
    n, p = x.shape
    off = np.zeros(n) if offset is None else offset
    pen = np.zeros(p) if penalty is None else penalty
    mu = (y + y.mean() + 0.1) / 2 if start_mu is None else np.maximum(start_mu, 1e-8)
    eta = np.log(mu)
    coef = np.zeros(p)
    converged = False
    for _ in range(max_iter):
        z = eta - off + (y - mu) / mu
        xw = x * mu[:, None]
        gram = x.T @ xw
        gram[np.diag_indices_from(gram)] += pen
        try:
            new = np.linalg.solve(gram, xw.T @ z)
        except np.linalg.LinAlgError:
            new = np.linalg.lstsq(gram, xw.T @ z, rcond=None)[0]
        step = float(np.max(np.abs(new - coef))) if p else 0.0
        coef = new
        eta = np.clip(x @ coef + off, -_MAX_ETA, _MAX_ETA)
        mu = np.exp(eta)
        if step < tol * (1.0 + float(np.max(np.abs(coef)))):
            converged = True
            break
    gram = x.T @ (x * mu[:, None])
    gram[np.diag_indices_from(gram)] += pen
    try:
        bread_inv = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        bread_inv = np.linalg.pinv(gram)
    return PoissonFit(coef, mu, bread_inv, pen, converged)


def ewc_dof(n_nights: int) -> int:
    """Cosine terms for the EWC variance: the LLSW rule 0.4 * n^(2/3), at least 4.

    Larger counts gain power but lose honesty when drift is strong and a factor comes in long runs
    (benchmarks/insights_accuracy.py, "stress" rows); this rule kept false alarms near 5%.
    """
    return max(4, round(0.4 * n_nights ** (2.0 / 3.0)))


@lru_cache(maxsize=16)
def _cosine_table(span: int, top: int) -> np.ndarray:
    """cos(pi * m * (t + 1/2) / span) for m = 0..top and t = 0..span-1 (calendar nights)."""
    t = (np.arange(span) + 0.5) / span
    m = np.arange(top + 1)[:, None]
    return np.cos(np.pi * m * t)


@dataclass(frozen=True)
class RobustEstimate:
    estimate: float
    se: float
    dof: float

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        q = float(stats.t.ppf(0.5 + level / 2, self.dof))
        return (self.estimate - q * self.se, self.estimate + q * self.se)

    @property
    def p_value(self) -> float:
        if self.se <= 0 or not math.isfinite(self.se):
            return 1.0
        return float(2 * stats.t.sf(abs(self.estimate / self.se), self.dof))


def robust_coefficient(
    fit: PoissonFit, x: np.ndarray, y: np.ndarray, day: np.ndarray, column: int, span: int
) -> RobustEstimate:
    """One coefficient with its EWC standard error over calendar time.

    Each night's influence on the coefficient is placed on the calendar (``day``, 0..span-1), so
    missing nights contribute nothing and gaps keep their real length in time. Two small-sample
    repairs, both checked by simulation (benchmarks/insights_accuracy.py):

    * Fitted residuals lose the slow part that the trend absorbed, so a factor that comes in long
      runs looks less variable than it is (the plain EWC gave 11% false alarms at a nominal 5%).
      Each cosine term is scaled up by the share of its variance that the fit removed, as HC2
      does for single nights (Bell & McCaffrey 2002).
    * The cosine terms of such a factor are not equally informative, so the t distribution gets
      Satterthwaite degrees of freedom instead of ``nu``.
    """
    nu = min(ewc_dof(int(y.size)), max(1, span - 1))
    mu = fit.mu
    pull = x @ fit.bread_inv[:, column]  # each night's pull on the coefficient per unit residual
    # Cosine term j of the influence series is Lambda_j = sum_t c_j(t) pull_t resid_t with
    # c_j(t) = sqrt(2/span) cos(pi j (t + 1/2) / span), t the calendar night.
    table = _cosine_table(span, 2 * nu)[:, day]  # (2 nu + 1) x n
    scale = math.sqrt(2.0 / span)
    cos_nu = table[1 : nu + 1]
    projections = scale * (cos_nu @ (pull * (y - mu)))
    # Fitted residuals are (I - P) eps with P = M X B^-1 X', so Lambda_j = d_j' eps where
    # d_j = h_j - X B^-1 X' M h_j and h_j = c_j * pull. With V = M (up to a constant):
    #   H V H' has entries E(|j-k|) + E(j+k), E(m) = (1/span) sum_t cos_m(t) pull_t^2 mu_t,
    #   D V D' = H V H' - G B^-1 G' - (G B^-1) diag(penalty) (G B^-1)',  G = H M X.
    e = table @ (pull * pull * mu) / span
    j = np.arange(1, nu + 1)
    hvh = e[np.abs(j[:, None] - j[None, :])] + e[j[:, None] + j[None, :]]
    g = scale * (cos_nu @ (x * (pull * mu)[:, None]))  # nu x p
    gb = g @ fit.bread_inv
    shared = hvh - gb @ g.T - (gb * fit.penalty) @ gb.T
    full = np.diag(hvh)
    kept = np.diag(shared)
    ok = kept > 1e-9 * np.maximum(full, 1e-300)
    if not np.any(ok):
        return RobustEstimate(float(fit.coef[column]), math.nan, 1.0)
    kappa = np.where(ok, full / np.where(ok, kept, 1.0), 0.0)
    long_run = float(np.mean((kappa * projections**2)[ok]))
    se = math.sqrt(span * long_run)
    weighted = (kappa[:, None] * kappa[None, :] * shared**2)[np.ix_(ok, ok)]
    dof = float(np.sum(full[ok]) ** 2 / np.sum(weighted))
    return RobustEstimate(float(fit.coef[column]), se, max(1.0, dof))
