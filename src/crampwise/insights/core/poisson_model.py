"""A log-linear model for nightly counts fitted by IRLS, with standard errors robust to
over-dispersion and to nights that resemble their neighbours.

Estimating equations: log-linear mean, negative binomial working weights. Any weights that are a
function of the mean give consistent rate ratios whatever the true variance is (quasi-likelihood,
McCullagh & Nelder 1989, ch. 9), and the robust variance below does not trust the working
variance, so the weights only decide efficiency. Cramp nights are over-dispersed (a variance of
about mu + mu^2 / k; the simulated diaries use k = 1.5), and Poisson weights then give the nights
with a high expected rate too much say; weights mu / (1 + mu / k), with 1/k estimated by moments
(``negative_binomial_inverse_shape``), are the efficient ones for that variance. In simulation
(benchmarks/insights_accuracy.py, main scenario) they raised the share of diaries in which a
halving is found from 76% to 79% with the same false-alarm rate (the ~1% gain noted here before
was measured before the joint model of all factors).

Why not the usual Newey-West variance: with drift and factors that come in runs, its errors are
too small in a diary of a few months. We use the equal-weighted cosine (EWC) estimator of the
long-run variance (Lazarus, Lewis, Stock & Watson, J Bus Econ Stat 2018), whose t-statistic
follows a t distribution, so p-values and intervals stay honest under serial correlation. How many
cosine terms it uses depends on how persistent the factor is (``ewc_dof``).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

_MAX_ETA = 30.0  # exp(30) cramps a night: a bound only reached by a diverging fit


@dataclass(frozen=True)
class PoissonFit:
    coef: np.ndarray
    mu: np.ndarray
    bread_inv: np.ndarray  # inverse of X' diag(a mu) X + diag(penalty) at the solution
    penalty: np.ndarray
    converged: bool
    # a = 1 / (1 + mu * inverse_shape): each night's working weight relative to Poisson, so the
    # estimating equations are X' diag(a) (y - mu) = penalty * coef. All ones for Poisson.
    score_weight: np.ndarray | None = None
    inverse_shape: float = 0.0


def fit_poisson(
    x: np.ndarray,
    y: np.ndarray,
    *,
    offset: np.ndarray | None = None,
    penalty: np.ndarray | None = None,
    start_mu: np.ndarray | None = None,
    max_iter: int = 50,
    tol: float = 1e-8,
    inverse_shape: float = 0.0,
) -> PoissonFit:
    """Maximise the Poisson log-likelihood, less a ridge ``0.5 * b' diag(penalty) b``, by IRLS.

    The small ridge keeps estimates finite when a column separates the data (e.g. a factor present
    only on nights without cramps); it is far too weak to move a real estimate.

    With ``inverse_shape`` = 1/k > 0 it solves the negative binomial score equations for the mean
    (k fixed): X' diag(a) (y - mu) = penalty * b with a = 1 / (1 + mu / k); 0 is Poisson. The
    steps are Newton steps (observed information, weights mu a^2 (1 + y / k), always positive, so
    the objective is concave): Fisher scoring with the expected weights a mu, which is what IRLS
    does for Poisson, converges only linearly for this non-canonical link (9 steps instead of 4 on
    a 5-year diary). ``bread_inv`` is the expected-information inverse either way.
    """
    n, p = x.shape
    off = np.zeros(n) if offset is None else offset
    pen = np.zeros(p) if penalty is None else penalty
    mu = (y + y.mean() + 0.1) / 2 if start_mu is None else np.maximum(start_mu, 1e-8)
    eta = np.log(mu)
    coef = np.zeros(p)
    converged = False
    for _ in range(max_iter):
        if inverse_shape > 0:
            weight = 1.0 / (1.0 + mu * inverse_shape)
            newton = mu * weight * weight * (1.0 + y * inverse_shape)
            z = eta - off + weight * (y - mu) / newton
        else:
            newton = mu
            z = eta - off + (y - mu) / mu
        xw = x * newton[:, None]
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
    weight = 1.0 / (1.0 + mu * inverse_shape)
    gram = x.T @ (x * (weight * mu)[:, None])
    gram[np.diag_indices_from(gram)] += pen
    try:
        bread_inv = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        bread_inv = np.linalg.pinv(gram)
    return PoissonFit(coef, mu, bread_inv, pen, converged, weight, inverse_shape)


# Largest 1/k used for the working weights: beyond it the weights hardly change.
_MAX_INVERSE_SHAPE = 5.0


def negative_binomial_inverse_shape(y: np.ndarray, mu: np.ndarray) -> float:
    """Moment estimate of 1/k in Var(y) = mu + mu^2 / k: sum((y - mu)^2 - y) / sum(mu^2).

    ``mu`` comes from a Poisson fit of the same model, whose rate ratios are already consistent.
    Whatever is not in the model (drift the trend misses, within-night clustering) counts as extra
    spread, which is what the weights should allow for. 0 (Poisson weights) when the nights are
    no more variable than Poisson.
    """
    denominator = float(np.sum(mu * mu))
    if denominator <= 0:
        return 0.0
    estimate = float(np.sum((y - mu) ** 2 - y)) / denominator
    return min(max(estimate, 0.0), _MAX_INVERSE_SHAPE)


# The LLSW count is 0.4 n^(2/3) cosine terms; a factor at least this persistent (lag-one
# autocorrelation) keeps it, and a less persistent one gets more, at most _EWC_MAX_SCALE times it.
_EWC_ANCHOR_PERSISTENCE = 0.7
_EWC_MAX_SCALE = 2.0


def _curvature(rho: float) -> float:
    """omega^(2) = sum_k k^2 gamma_k / sum_k gamma_k of an AR(1) with coefficient rho."""
    return 2.0 * rho / (1.0 - rho) ** 2


def ewc_dof(n_nights: int, persistence: float | None = None) -> int:
    """How many cosine terms the EWC variance uses for one coefficient.

    Without ``persistence``: the LLSW rule 0.4 * n^(2/3), at least 4.

    With the lag-one autocorrelation of the coefficient's night-to-night pull (see
    ``pull_persistence``): more terms when the factor is less persistent, in the spirit of the
    plug-in bandwidths of Andrews (Econometrica 1991). The size-power trade-off behind the LLSW
    rule (also Sun, Econometrica 2013) makes the best number of terms proportional to
    n^(2/3) / omega^(1/3), where omega = sum k^2 gamma_k / sum gamma_k measures how sharply the
    spectrum of the influence series peaks at frequency zero; the bias of the EWC variance grows
    with omega * (terms / n)^2, and its noise falls as 1 / terms. We scale the LLSW count by
    (omega(0.7) / omega(rho))^(1/3), omega of an AR(1) (the anchor at 0.7 is our choice), never
    going below the LLSW count (so a factor with persistence 0.7 or more, such as one that repeats
    9 days in 10, is treated exactly as before) and never above twice it (a lag-one estimate from
    one diary is noisy, and the rule leaves room for correlation it cannot see).

    Why the factor's persistence and not the residuals': the influence series is pull_t * resid_t.
    When the factor is unrelated to whatever makes neighbouring nights alike, its autocorrelation
    at lag k is the product of the pull's and the residuals'. For residuals made of independent
    night-to-night noise plus a drift that fades (autocorrelation s * phi^k, s and phi at most 1),
    the product's omega is largest when s = phi = 1, where it equals the pull's own omega: so the
    pull's persistence alone bounds it, however strong the drift. The pull comes from the nights'
    factor values, not their cramp counts, so its persistence is measured without count noise,
    whereas the residuals' autocorrelation is too small to measure in a year of nights (about 0.02
    in the simulated diaries, with a standard error of 0.06).

    In simulation (benchmarks/insights_accuracy.py) a yes/no factor that repeats the day before
    half the time gets about 36 terms instead of 19 in a one-year diary, which raised the share of
    diaries in which its halving is found by about 2 points; false alarms over the null factors
    stayed at or below 5% in every scenario, strong slow drift included.
    """
    base: int = max(4, round(0.4 * n_nights ** (2.0 / 3.0)))
    if persistence is None:
        return base
    rho = min(max(persistence, 0.0), 0.99)
    if rho >= _EWC_ANCHOR_PERSISTENCE:
        return base
    if rho <= 0.0:
        return round(_EWC_MAX_SCALE * base)
    scale: float = (_curvature(_EWC_ANCHOR_PERSISTENCE) / _curvature(rho)) ** (1.0 / 3.0)
    return round(base * min(scale, _EWC_MAX_SCALE))


def pull_persistence(pull: np.ndarray, weight: np.ndarray, day: np.ndarray) -> float:
    """Lag-one autocorrelation of pull_t * sqrt(w_t) over pairs of consecutive calendar nights.

    sqrt(w_t) puts each night's pull on the scale of its share of the influence series (w is the
    working variance); nights whose neighbour was not recorded do not form a pair.
    """
    z: np.ndarray = pull * np.sqrt(weight)
    z = z - z.mean()
    total = float(np.sum(z * z))
    pairs = np.flatnonzero(np.diff(day) == 1)
    if total <= 0 or pairs.size == 0:
        return 0.0
    return float(np.sum(z[pairs] * z[pairs + 1]) / pairs.size) / (total / z.size)


@lru_cache(maxsize=4)
def _cosine_table(span: int, top: int) -> np.ndarray:
    """cos(pi * m * (t + 1/2) / span) for m = 0..top and t = 0..span-1 (calendar nights)."""
    t = (np.arange(span) + 0.5) / span
    m = np.arange(top + 1)[:, None]
    return np.cos(np.pi * m * t)


_NIGHT_COSINES: dict[tuple[int, int, bytes], np.ndarray] = {}
_NIGHT_COSINES_LOCK = threading.Lock()


def _night_cosines(span: int, top: int, day: np.ndarray) -> np.ndarray:
    """The cosine table at the recorded nights only, (top + 1) x n, read-only.

    All factors of one diary use the same nights, so the (large) selection is made once per diary
    rather than once per factor; the last few diaries are kept.
    """
    key = (span, top, day.tobytes())
    with _NIGHT_COSINES_LOCK:
        table = _NIGHT_COSINES.get(key)
    if table is None:
        table = _cosine_table(span, top)[:, day]
        table.setflags(write=False)
        with _NIGHT_COSINES_LOCK:
            while len(_NIGHT_COSINES) >= 4:
                _NIGHT_COSINES.pop(next(iter(_NIGHT_COSINES)))
            _NIGHT_COSINES[key] = table
    return table


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
    missing nights contribute nothing and gaps keep their real length in time. The number of
    cosine terms follows the persistence of the coefficient's pull (``ewc_dof``). Two small-sample
    repairs, both checked by simulation (benchmarks/insights_accuracy.py):

    * Fitted residuals lose the slow part that the trend absorbed, so a factor that comes in long
      runs looks less variable than it is (the plain EWC gave 11% false alarms at a nominal 5%).
      Each cosine term is scaled up by the share of its variance that the fit removed, as HC2
      does for single nights (Bell & McCaffrey 2002).
    * The cosine terms of such a factor are not equally informative, so the t distribution gets
      Satterthwaite degrees of freedom instead of ``nu``.
    """
    mu = fit.mu
    a = np.ones_like(mu) if fit.score_weight is None else fit.score_weight
    w = a * mu  # working weight: mu for Poisson, mu / (1 + mu / k) for negative binomial
    pull = x @ fit.bread_inv[:, column]  # each night's pull on the coefficient per unit a * resid
    limit = max(1, span - 1)
    nu = min(ewc_dof(int(y.size), pull_persistence(pull, w, day)), limit)
    # One table per diary, big enough for any factor's nu, so the cache is shared across factors.
    top = min(round(_EWC_MAX_SCALE * ewc_dof(int(y.size))), limit)
    # Cosine term j of the influence series is Lambda_j = sum_t c_j(t) pull_t a_t resid_t with
    # c_j(t) = sqrt(2/span) cos(pi j (t + 1/2) / span), t the calendar night.
    table = _night_cosines(span, 2 * max(nu, top), day)[: 2 * nu + 1]  # (2 nu + 1) x n
    scale = math.sqrt(2.0 / span)
    cos_nu = table[1 : nu + 1]
    projections = scale * (cos_nu @ (pull * a * (y - mu)))
    # Fitted residuals are (I - P) eps with P = M X B^-1 X' A (A = diag(a), W = A M), so
    # Lambda_j = d_j' eps with d_j' = h_j' A (I - P) and h_j = c_j * pull. With the working
    # variance V = M A^-1 (up to a constant), A V A = W and:
    #   H W H' has entries E(|j-k|) + E(j+k), E(m) = (1/span) sum_t cos_m(t) pull_t^2 w_t,
    #   D V D' = H W H' - G B^-1 G' - (G B^-1) diag(penalty) (G B^-1)',  G = H W X.
    e = table @ (pull * pull * w) / span
    j = np.arange(1, nu + 1)
    hvh = e[np.abs(j[:, None] - j[None, :])] + e[j[:, None] + j[None, :]]
    g = scale * (cos_nu @ (x * (pull * w)[:, None]))  # nu x p
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
