"""Trial series: many people's trials of one remedy, pooled into one answer.

The model is hierarchical. Each person's trial is the single-trial model of ``negbin_grid`` (their
own baseline, period effects and overdispersion), except that their log rate ratio beta_i is drawn
from the population:

    beta_i ~ N(mu, tau^2)        mu ~ N(0, 1)        tau ~ half-normal(0.5)

exp(mu) is the rate ratio of the typical (median) person; tau is how much people differ. The prior
on mu is the single trial's prior on beta (rate ratio within 0.14-7 at 95%). The half-normal(0.5)
on tau is the weakly informative prior the research notes recommend for pooling N-of-1 trials:
tau above 0.5 has a 32% prior chance, tau above 1 (people's ratios routinely a factor of e apart) 5%.

Computing it: each person's trial is reduced to the LIKELIHOOD of beta_i with their other
parameters integrated out (``series_likelihood``, all people in a few numpy passes): the Laplace step
of ``negbin_grid`` integrates their baseline and period effects, and a trapezoid over a fixed log k
grid integrates their overdispersion under its own prior.
That is computed directly on a common beta grid, not by dividing the single-trial posterior by its
N(0, 1) prior: the single trial's grid covers only where its posterior lives, and a population far
from zero needs the likelihood further out. mu and tau are then integrated on a grid (a coarse pass
to find them, a fine pass fitted to them); given (mu, tau) each person's beta_i integrates against
N(mu, tau^2) in one matrix product. The person's own ("unpooled") answer is that likelihood under
the single trial's N(0, 1) prior: the single-trial result to within about 0.01 posterior SD (tested).

People below the minimum evidence (``evidence``) still contribute their likelihood: dropping them
would drop exactly the people whose cramps fell most (the rule counts all cramps), a selection on
the outcome. Their likelihood is weak and the model weighs it accordingly. The pooled answer counts
as enough only when at least ``MIN_PATIENTS_WITH_ENOUGH`` people have enough evidence on their own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crampwise.trials.core import evidence as evidence_rule
from crampwise.trials.core.analysis import (
    DEFAULT_PERIOD_SD,
    DEFAULT_THRESHOLD,
    NotEnoughNights,
    RateRatioSummary,
    summary_of_log_ratio,
)
from crampwise.trials.core.counts import CountCells, count_cells
from crampwise.trials.core.evidence import Evidence
from crampwise.trials.core.grid_marginal import (
    Marginal,
    _natural_spline,
    marginal_from_log_density,
)
from crampwise.trials.core.negbin_grid import LOG_2PI, Priors
from crampwise.trials.core.observations import TrialNight
from crampwise.trials.core.series_likelihood import log_likelihoods

MU_PRIOR_SD = 1.0
TAU_PRIOR_SCALE = 0.5
MIN_PATIENTS_WITH_ENOUGH = 3
PREDICTIVE_LEVEL = 0.8  # "most people": 8 in 10 new people would see a ratio in this range

# Each person's likelihood of beta: computed every 1/3 from -5 to 5 (rate ratios 0.007 to 150,
# beyond any plausible effect) and spline-interpolated 8 times finer. The log likelihood is smooth
# and close to a parabola, so this matches the single trial's own grid to about 0.01 posterior SD.
BETA_LIMIT = 5.0
LIKELIHOOD_BETA_POINTS = 31
UPSAMPLE = 8

# The hyper-grid: a coarse pass over where mu and tau could be, then a fine pass over where they are.
COARSE_MU = np.linspace(-4.0, 4.0, 81)
COARSE_TAU_TOP = 2.5  # 5 prior scales
COARSE_TAU_POINTS = 25
FINE_MU_POINTS = 61
FINE_TAU_POINTS = 40
SUPPORT_DROP = 14.0  # e^-14: less than a millionth of the peak
LOG_FLOOR = -60.0  # relative log likelihood below which a value carries no weight


@dataclass(frozen=True)
class PatientTrialData:
    """One person's trial as the series sees it: the same nights the single-trial analysis takes.

    ``baseline_per_night`` is the run-in rate (``analysis.baseline_from_run_in``) when there is one.
    """

    label: str
    nights: tuple[TrialNight, ...]
    baseline_per_night: float | None = None

    @classmethod
    def from_nights(
        cls, label: str, nights: Sequence[TrialNight], baseline_per_night: float | None = None
    ) -> PatientTrialData:
        return cls(label=label, nights=tuple(nights), baseline_per_night=baseline_per_night)


@dataclass(frozen=True)
class IndividualEstimate:
    """One person's rate ratio: shrunk towards the series, and from their own trial alone."""

    label: str
    enough_data: bool  # the person's own trial meets the minimum evidence
    rate_ratio_median: float  # shrunk: their own data and what the series says about people
    rate_ratio_ci95: tuple[float, float]
    unpooled_median: float  # the single-trial analysis, as the person's own result shows it
    unpooled_ci95: tuple[float, float]
    unpooled: RateRatioSummary
    nights_used: int
    cramps: int


@dataclass(frozen=True)
class PooledResult:
    patients: int  # pooled (people with a used night on both arms)
    rate_ratio_median: float  # exp(mu): the typical person's rate ratio
    rate_ratio_ci95: tuple[float, float]
    p_reduction: float  # P(exp(mu) < 1)
    p_meaningful: float  # P(exp(mu) <= threshold)
    tau_median: float  # spread of people's log rate ratios
    tau_ci95: tuple[float, float]
    predictive_ci: tuple[float, float]  # 80% interval of a new person's rate ratio
    enough_data: bool
    individuals: tuple[IndividualEstimate, ...]
    threshold: float = DEFAULT_THRESHOLD
    predictive_level: float = PREDICTIVE_LEVEL
    predictive_p_reduction: float = 0.5  # share of new people who would have fewer cramps
    patients_with_enough: int = 0
    left_out: tuple[str, ...] = ()  # labels without a used night on both arms: nothing to pool
    mu_mean: float = 0.0
    mu_sd: float = 1.0
    # The posterior of mu itself, for checks that need its CDF at any point (calibration by
    # simulation); not part of the stored or shown answer.
    mu_marginal: Marginal | None = field(default=None, repr=False, compare=False)

    def prob_ratio_below(self, rate_ratio: float) -> float:
        """P(exp(mu) < rate_ratio | data): ``p_reduction`` at 1, ``p_meaningful`` at the threshold,
        and at the true ratio of a simulated series, a value that is uniform on (0, 1) over series
        drawn from the prior when the computation is right."""
        if self.mu_marginal is None:
            raise ValueError("this result was made without the posterior of mu")
        if not rate_ratio > 0:
            raise ValueError("a rate ratio is positive")
        return self.mu_marginal.prob_below(math.log(rate_ratio))

    def to_dict(self) -> dict[str, object]:
        def pair(values: tuple[float, float]) -> list[float]:
            return [round(values[0], 4), round(values[1], 4)]

        return {
            "patients": self.patients,
            "patients_with_enough_data": self.patients_with_enough,
            "left_out": list(self.left_out),
            "enough_data": self.enough_data,
            "threshold": self.threshold,
            "population": {
                "rate_ratio": {
                    "median": round(self.rate_ratio_median, 4),
                    "ci95": pair(self.rate_ratio_ci95),
                },
                "p_reduction": round(self.p_reduction, 4),
                "p_meaningful": round(self.p_meaningful, 4),
            },
            "tau": {"median": round(self.tau_median, 4), "ci95": pair(self.tau_ci95)},
            "predictive": {
                "level": self.predictive_level,
                "rate_ratio_interval": pair(self.predictive_ci),
                "p_reduction": round(self.predictive_p_reduction, 4),
            },
            "model": model_description(),
        }


def model_description() -> dict[str, object]:
    return {
        "name": "hierarchical-negative-binomial",
        "individual": "each trial's own model: log rate = alpha_i + beta_i*(remedy-1/2) + u_i[period]",
        "population": "beta_i ~ Normal(mu, tau)",
        "priors": {
            "mu": {"distribution": "normal", "mean": 0.0, "sd": MU_PRIOR_SD},
            "tau": {"distribution": "half-normal", "scale": TAU_PRIOR_SCALE},
        },
        "inference": "each person's likelihood of beta_i on a grid, then a grid over mu and tau",
    }


@dataclass(frozen=True)
class PatientLikelihood:
    """One person's trial reduced to what the pooling needs, in plain numbers that can be stored.

    ``log_likelihood`` is the log likelihood of their log rate ratio at the ``LIKELIHOOD_BETA_POINTS``
    points from -5 to 5, peak 0, floored at ``LOG_FLOOR``: their baseline, period effects and
    overdispersion already integrated out. It depends on their nights only (not on the threshold),
    so a server can store it with the person's row and pool many people without recomputing it.
    """

    label: str
    log_likelihood: tuple[float, ...]
    enough: bool  # the person's own trial meets the minimum evidence
    nights_used: int
    cramps: int

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "log_likelihood": [round(v, 6) for v in self.log_likelihood],
            "enough": self.enough,
            "nights_used": self.nights_used,
            "cramps": self.cramps,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatientLikelihood:
        values = tuple(float(v) for v in data["log_likelihood"])
        if len(values) != LIKELIHOOD_BETA_POINTS:
            raise ValueError("a stored likelihood has the wrong number of grid points")
        return cls(
            label=str(data["label"]),
            log_likelihood=values,
            enough=bool(data["enough"]),
            nights_used=int(data["nights_used"]),
            cramps=int(data["cramps"]),
        )


@dataclass(frozen=True)
class _Patient:
    label: str
    log_likelihood: np.ndarray  # on the fine beta grid, peak 0
    unpooled: RateRatioSummary
    enough: bool
    nights_used: int
    cramps: int


def pool_trials(
    trials: Sequence[PatientTrialData], threshold: float = DEFAULT_THRESHOLD
) -> PooledResult:
    """Pool the trials of a series into the typical person's rate ratio, the spread, and each
    person's shrunk estimate."""
    _check_threshold(threshold)
    if not trials:
        raise ValueError("a series needs at least one trial to pool")
    likelihoods, left_out = patient_likelihoods(trials)
    return pool_likelihoods(likelihoods, threshold, left_out=left_out)


def pool_likelihoods(
    likelihoods: Sequence[PatientLikelihood],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    left_out: Sequence[str] = (),
) -> PooledResult:
    """The pooling itself, from each person's likelihood (``patient_likelihoods``): the same answer
    as ``pool_trials`` on their trials, without the per-person work."""
    _check_threshold(threshold)
    if not likelihoods:
        raise NotEnoughNights("no trial in the series has a used night on both arms")
    beta = np.linspace(-BETA_LIMIT, BETA_LIMIT, (LIKELIHOOD_BETA_POINTS - 1) * UPSAMPLE + 1)
    patients = [_patient(one, beta, threshold) for one in likelihoods]
    likelihood = np.exp(np.stack([p.log_likelihood for p in patients]))  # (P, B)

    mu, tau, weights, marginal_of, kernel = _hyper_posterior(likelihood, beta)
    mu_marginal = marginal_from_log_density(mu, _log_sum(weights, axis=1))
    tau_marginal = _midpoint_marginal(tau, weights.sum(axis=0))

    # Each person's shrunk posterior: their likelihood times the population density, averaged over
    # the hyper posterior: sum_h w_h * L_i(b) N(b; mu_h, tau_h) / m_i(h).
    flat_weights = weights.ravel()
    mixing = kernel @ (flat_weights[:, None] / np.maximum(marginal_of.T, 1e-300))  # (B, P)
    individuals = tuple(
        _individual(p, beta, likelihood[i] * mixing[:, i]) for i, p in enumerate(patients)
    )
    predictive = kernel @ flat_weights
    low_q = (1 - PREDICTIVE_LEVEL) / 2
    with_enough = sum(p.enough for p in patients)
    return PooledResult(
        patients=len(patients),
        rate_ratio_median=math.exp(mu_marginal.median),
        rate_ratio_ci95=(
            math.exp(mu_marginal.quantile(0.025)),
            math.exp(mu_marginal.quantile(0.975)),
        ),
        p_reduction=mu_marginal.prob_below(0.0),
        p_meaningful=mu_marginal.prob_below(math.log(threshold)),
        tau_median=tau_marginal.median,
        tau_ci95=(tau_marginal.quantile(0.025), tau_marginal.quantile(0.975)),
        predictive_ci=(
            math.exp(_mass_quantile(beta, predictive, low_q)),
            math.exp(_mass_quantile(beta, predictive, 1 - low_q)),
        ),
        enough_data=with_enough >= MIN_PATIENTS_WITH_ENOUGH,
        individuals=individuals,
        threshold=threshold,
        predictive_p_reduction=_mass_below(beta, predictive, 0.0),
        patients_with_enough=with_enough,
        left_out=tuple(left_out),
        mu_mean=mu_marginal.mean,
        mu_sd=mu_marginal.sd,
        mu_marginal=mu_marginal,
    )


def _prepare(trial: PatientTrialData) -> tuple[CountCells, float, Evidence] | None:
    """The trial's cells, baseline prior mean and evidence, exactly as ``analysis.analyze`` sets
    them; None without a used night on both arms."""
    used = [n for n in trial.nights if n.used]
    if not any(n.treated for n in used) or all(n.treated for n in used):
        return None
    cells = count_cells(
        np.array([n.cramps for n in used]),
        np.array([n.treated for n in used]),
        np.array([n.period for n in used]),
    )
    per_period = Counter(n.period for n in trial.nights)
    evidence = evidence_rule.check(
        cells.total_cramps,
        cells.total_nights,
        len({n.period for n in used if not n.treated}),
        len({n.period for n in used if n.treated}),
        period_nights=max(per_period.values()),
        fallback_per_night=trial.baseline_per_night,
    )
    baseline = trial.baseline_per_night
    if baseline is None:
        baseline = (cells.total_cramps + 0.5) / cells.total_nights
    return cells, math.log(baseline), evidence


def patient_likelihoods(
    trials: Sequence[PatientTrialData],
) -> tuple[list[PatientLikelihood], list[str]]:
    """Each person's likelihood of their log rate ratio, all people in a few numpy passes; and the
    labels of trials without a used night on both arms (nothing to pool)."""
    prepared = [(trial, _prepare(trial)) for trial in trials]
    kept = [(trial, ready) for trial, ready in prepared if ready is not None]
    left_out = [trial.label for trial, ready in prepared if ready is None]
    if not kept:
        return [], left_out
    defaults = Priors(alpha_mean=0.0)
    coarse = log_likelihoods(
        [ready[0] for _, ready in kept],
        [ready[1] for _, ready in kept],
        np.linspace(-BETA_LIMIT, BETA_LIMIT, LIKELIHOOD_BETA_POINTS),
        alpha_sd=defaults.alpha_sd,
        period_sd=DEFAULT_PERIOD_SD,
        log_k_sd=defaults.log_k_sd,
    )
    out = []
    for (trial, (cells, _, evidence)), log_lik in zip(kept, coarse, strict=True):
        out.append(
            PatientLikelihood(
                label=trial.label,
                log_likelihood=tuple(np.maximum(log_lik - log_lik.max(), LOG_FLOOR).tolist()),
                enough=evidence.enough,
                nights_used=cells.total_nights,
                cramps=cells.total_cramps,
            )
        )
    return out, left_out


def _patient(one: PatientLikelihood, beta: np.ndarray, threshold: float) -> _Patient:
    fine = _natural_spline(np.asarray(one.log_likelihood, dtype=float), UPSAMPLE)
    fine -= fine.max()
    # The person's own answer: the same likelihood under the single trial's N(0, 1) prior.
    own_prior = -0.5 * (beta / Priors(alpha_mean=0.0).beta_sd) ** 2
    own = _midpoint_marginal(beta, np.exp(fine + own_prior))
    return _Patient(
        label=one.label,
        log_likelihood=fine,
        unpooled=summary_of_log_ratio(own, threshold),
        enough=one.enough,
        nights_used=one.nights_used,
        cramps=one.cramps,
    )


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError("the threshold is a rate ratio between 0 and 1")


def _tau_midpoints(top: float, points: int) -> np.ndarray:
    """Cell midpoints on [0, top]: tau = 0 itself is never a grid point, its cell is."""
    midpoints: np.ndarray = (np.arange(points) + 0.5) * (top / points)
    return midpoints


def _kernel(beta: np.ndarray, mu: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """N(beta; mu, tau^2) as masses on the beta grid, one column per (mu, tau), mu-major.

    On an even grid the plain sum of a normal density is exact to about e^(-2 pi^2 (tau/step)^2),
    so for tau of at least one step it is as good as the integral. Narrower normals become the
    linear-interpolation weights at mu (their width no longer matters at that scale). Columns are
    renormalised: the population distribution is truncated to the grid's +-5.
    """
    step = float(beta[1] - beta[0])
    distance = beta[:, None] - mu[None, :]  # (B, M)
    kernel = np.empty((beta.size, mu.size, tau.size))
    wide = tau >= step
    if wide.any():
        kernel[:, :, wide] = np.exp(-0.5 * (distance[:, :, None] / tau[wide]) ** 2)
    if not wide.all():
        kernel[:, :, ~wide] = np.maximum(0.0, 1.0 - np.abs(distance) / step)[:, :, None]
    flat = kernel.reshape(beta.size, mu.size * tau.size)
    flat /= np.maximum(flat.sum(axis=0, keepdims=True), 1e-300)
    return flat


def _log_prior(mu: np.ndarray, tau: np.ndarray) -> np.ndarray:
    log_mu = -0.5 * (mu / MU_PRIOR_SD) ** 2 - math.log(MU_PRIOR_SD) - 0.5 * LOG_2PI
    log_tau = -0.5 * (tau / TAU_PRIOR_SCALE) ** 2 + math.log(2.0 / TAU_PRIOR_SCALE) - 0.5 * LOG_2PI
    prior: np.ndarray = log_mu[:, None] + log_tau[None, :]
    return prior


def _log_joint(
    likelihood: np.ndarray, beta: np.ndarray, mu: np.ndarray, tau: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log p(mu, tau | data) up to a constant on the grid (M, T), each m_i(mu, tau), the kernel."""
    kernel = _kernel(beta, mu, tau)
    marginal_of = likelihood @ kernel  # (P, H): p(trial i | mu, tau), scaled
    with np.errstate(divide="ignore"):
        log_m = np.log(marginal_of)
    log_joint = log_m.sum(axis=0).reshape(mu.size, tau.size) + _log_prior(mu, tau)
    return log_joint, marginal_of, kernel


def _log_sum(values: np.ndarray, axis: int) -> np.ndarray:
    with np.errstate(divide="ignore"):
        logs: np.ndarray = np.log(values.sum(axis=axis))
    return logs


def _hyper_posterior(
    likelihood: np.ndarray, beta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mu grid, tau midpoints, posterior masses (M, T), every m_i and the kernel (B, H) of the
    final hyper-grid."""
    # Locating needs no fine beta grid: every 4th point (normals narrower than that step are
    # handled by the kernel).
    coarse_tau = _tau_midpoints(COARSE_TAU_TOP, COARSE_TAU_POINTS)
    log_joint, _, _ = _log_joint(likelihood[:, ::4], beta[::4], COARSE_MU, coarse_tau)
    mu_range, tau_top = _support(log_joint, COARSE_MU, coarse_tau, COARSE_TAU_TOP)
    for _ in range(3):
        mu = np.linspace(*mu_range, FINE_MU_POINTS)
        tau = _tau_midpoints(tau_top, FINE_TAU_POINTS)
        log_joint, marginal_of, kernel = _log_joint(likelihood, beta, mu, tau)
        # Many people pin mu and tau down more tightly than the coarse pass could see: if the
        # mass fills only a small part of the fine grid, zoom in and redo.
        narrower = _support(log_joint, mu, tau, tau_top)
        mu_width, new_width = mu_range[1] - mu_range[0], narrower[0][1] - narrower[0][0]
        if new_width > 0.5 * mu_width and narrower[1] > 0.5 * tau_top:
            break
        mu_range, tau_top = narrower
    weights = np.exp(log_joint - log_joint.max())
    weights /= weights.sum()
    return mu, tau, weights, marginal_of, kernel


def _support(
    log_joint: np.ndarray, mu: np.ndarray, tau: np.ndarray, tau_top: float
) -> tuple[tuple[float, float], float]:
    """Where the posterior of (mu, tau) is within e^-14 of its peak, padded by two grid steps."""
    dens = np.exp(log_joint - log_joint.max())
    mu_log = _log_sum(dens, axis=1)
    tau_log = _log_sum(dens, axis=0)
    inside_mu = np.flatnonzero(mu_log >= mu_log.max() - SUPPORT_DROP)
    mu_step = float(mu[1] - mu[0])
    low = max(float(mu[inside_mu[0]]) - 2 * mu_step, float(COARSE_MU[0]))
    high = min(float(mu[inside_mu[-1]]) + 2 * mu_step, float(COARSE_MU[-1]))
    inside_tau = np.flatnonzero(tau_log >= tau_log.max() - SUPPORT_DROP)
    tau_step = float(tau[1] - tau[0])
    top = min(float(tau[inside_tau[-1]]) + 2 * tau_step, tau_top)
    return (low, high), top


def _midpoint_marginal(midpoints: np.ndarray, masses: np.ndarray) -> Marginal:
    """The distribution of masses held by cells around evenly spaced midpoints (density flat in
    each cell)."""
    half = 0.5 * float(midpoints[1] - midpoints[0])
    edges = np.concatenate(([midpoints[0] - half], midpoints + half))
    total = float(masses.sum())
    cdf = np.concatenate(([0.0], np.cumsum(masses))) / total
    mean = float(masses @ midpoints) / total
    sd = math.sqrt(max(float(masses @ (midpoints - mean) ** 2) / total, 0.0))
    return Marginal(x=edges, cdf=cdf, mean=mean, sd=sd)


def _mass_quantile(x: np.ndarray, mass: np.ndarray, q: float) -> float:
    return _midpoint_marginal(x, mass).quantile(q)


def _mass_below(x: np.ndarray, mass: np.ndarray, value: float) -> float:
    return _midpoint_marginal(x, mass).prob_below(value)


def _individual(patient: _Patient, beta: np.ndarray, mass: np.ndarray) -> IndividualEstimate:
    shrunk = _midpoint_marginal(beta, mass)
    own = patient.unpooled
    return IndividualEstimate(
        label=patient.label,
        enough_data=patient.enough,
        rate_ratio_median=math.exp(shrunk.median),
        rate_ratio_ci95=(math.exp(shrunk.quantile(0.025)), math.exp(shrunk.quantile(0.975))),
        unpooled_median=own.median,
        unpooled_ci95=own.ci95,
        unpooled=own,
        nights_used=patient.nights_used,
        cramps=patient.cramps,
    )
