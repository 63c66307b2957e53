"""The answer to "did the remedy cut my cramps?": a Bayesian negative binomial analysis.

The model and its fast inference live in ``negbin_grid``; this module picks the used nights,
sets the baseline prior, and returns the numbers the app, the CLI and the report show.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import NightRecord
from crampwise.trials.core import evidence as evidence_rule
from crampwise.trials.core.counts import count_cells
from crampwise.trials.core.grid_marginal import Marginal
from crampwise.trials.core.negbin_grid import GridPosterior, Priors, fit_posterior
from crampwise.trials.core.observations import NightTally, TrialNight, tally
from crampwise.trials.core.pain import DEFAULT_PAIN_THRESHOLD, PainSummary, analyze_pain

DEFAULT_THRESHOLD = 0.8  # "cuts cramps by at least 20%"
DEFAULT_PERIOD_SD = 0.25
MODEL_NAME = "negative-binomial-period-effects"


class NotEnoughNights(ValueError):
    """The trial has no usable night on one of its arms yet."""


@dataclass(frozen=True, slots=True)
class ArmRate:
    nights: int
    cramps: int

    @property
    def per_night(self) -> float | None:
        return self.cramps / self.nights if self.nights else None

    @property
    def per_week(self) -> float | None:
        return 7 * self.cramps / self.nights if self.nights else None

    def to_dict(self) -> dict[str, object]:
        return {
            "nights": self.nights,
            "cramps": self.cramps,
            "per_night": None if self.per_night is None else round(self.per_night, 4),
            "per_week": None if self.per_week is None else round(self.per_week, 3),
        }


@dataclass(frozen=True, slots=True)
class RateRatioSummary:
    """Posterior of the rate ratio: cramps per night on the remedy over cramps per night without."""

    median: float
    ci95: tuple[float, float]
    mean_log: float
    sd_log: float
    p_reduction: float  # P(ratio < 1)
    p_meaningful: float  # P(ratio < threshold)
    threshold: float


@dataclass(frozen=True)
class TrialAnalysis:
    rate_ratio: RateRatioSummary
    control: ArmRate
    treatment: ArmRate
    nights: NightTally
    pain: PainSummary | None
    overdispersion: float  # posterior median of k; smaller means burstier nights
    priors: Priors
    posterior: GridPosterior
    evidence: evidence_rule.Evidence

    @property
    def enough_data(self) -> bool:
        """False below the minimum evidence: show no percentage or best guess then."""
        return self.evidence.enough

    def prob_ratio_below(self, ratio: float) -> float:
        return self.posterior.beta_marginal.prob_below(math.log(ratio))

    def model_dict(self) -> dict[str, object]:
        return model_description(self.priors)

    def to_dict(self) -> dict[str, object]:
        rr = self.rate_ratio
        return {
            "enough_data": self.enough_data,
            "evidence": self.evidence.to_dict(),
            "nights_used": self.nights.used,
            "washout_nights_excluded": self.nights.washout,
            "missing_nights": self.nights.missing,
            "rate_ratio": {
                "median": round(rr.median, 4),
                "ci95": [round(rr.ci95[0], 4), round(rr.ci95[1], 4)],
                "mean_log": round(rr.mean_log, 4),
                "sd_log": round(rr.sd_log, 4),
            },
            "p_reduction": round(rr.p_reduction, 4),
            "p_meaningful": round(rr.p_meaningful, 4),
            "threshold": rr.threshold,
            "control": self.control.to_dict(),
            "treatment": self.treatment.to_dict(),
            "overdispersion": round(self.overdispersion, 3),
            "pain": None if self.pain is None else self.pain.to_dict(),
            "model": self.model_dict(),
        }


def model_description(priors: Priors) -> dict[str, object]:
    return {
        "name": MODEL_NAME,
        "likelihood": "negative binomial (NB2) per night",
        "period_sd": priors.period_sd,
        "log_rate": "alpha + beta*(remedy-1/2) + u[period]",
        "priors": {
            # alpha is the average of the two arms' log rates, so this prior favours neither arm.
            "log_average_rate_per_night": {
                "mean": round(priors.alpha_mean, 4),
                "sd": priors.alpha_sd,
            },
            "log_rate_ratio": {"mean": 0.0, "sd": priors.beta_sd},
            "log_overdispersion": {"mean": 0.0, "sd": priors.log_k_sd},
        },
        "inference": "grid over log rate ratio and log overdispersion, Laplace over the rest",
    }


def baseline_from_run_in(records: Iterable[NightRecord]) -> float | None:
    """Cramps per night over the recorded run-in nights, or None without any."""
    counts = [r.cramps for r in records if r.cramps is not None and r.counts_towards_rates]
    if not counts:
        return None
    # Half a cramp keeps the log finite for a run-in without cramps.
    return (sum(counts) + 0.5) / len(counts)


def rate_ratio_summary(posterior: GridPosterior, threshold: float) -> RateRatioSummary:
    return summary_of_log_ratio(posterior.beta_marginal, threshold)


def summary_of_log_ratio(m: Marginal, threshold: float) -> RateRatioSummary:
    """The rate ratio's summary from the distribution of its log (the single trial's, or a
    person's own answer in a series)."""
    return RateRatioSummary(
        median=math.exp(m.median),
        ci95=(math.exp(m.quantile(0.025)), math.exp(m.quantile(0.975))),
        mean_log=m.mean,
        sd_log=m.sd,
        p_reduction=m.prob_below(0.0),
        p_meaningful=m.prob_below(math.log(threshold)),
        threshold=threshold,
    )


def analyze(
    nights: Sequence[TrialNight],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    baseline_per_night: float | None = None,
    period_sd: float = DEFAULT_PERIOD_SD,
    pain_threshold: float = DEFAULT_PAIN_THRESHOLD,
) -> TrialAnalysis:
    """Analyse the trial's nights; washout and unrecorded nights are left out and counted."""
    if not 0 < threshold <= 1:
        raise ValueError("the threshold is a rate ratio between 0 and 1")
    used = [n for n in nights if n.used]
    control = ArmRate(
        nights=sum(not n.treated for n in used),
        cramps=sum(n.cramps or 0 for n in used if not n.treated),
    )
    treatment = ArmRate(
        nights=sum(n.treated for n in used), cramps=sum(n.cramps or 0 for n in used if n.treated)
    )
    if not control.nights or not treatment.nights:
        raise NotEnoughNights(
            _("There is not yet a recorded night on both the remedy and the control.")
        )

    cells = count_cells(
        np.array([n.cramps for n in used]),
        np.array([n.treated for n in used]),
        np.array([n.period for n in used]),
    )
    per_period = Counter(n.period for n in nights)
    evidence = evidence_rule.check(
        control.cramps + treatment.cramps,
        control.nights + treatment.nights,
        len({n.period for n in used if not n.treated}),
        len({n.period for n in used if n.treated}),
        period_nights=max(per_period.values()),
        fallback_per_night=baseline_per_night,
    )
    if baseline_per_night is None:
        # Without a run-in, the trial's own overall rate centres the vague prior (sd 2 on the log
        # scale, a factor of 50 either way): it only keeps alpha finite, it does not inform beta.
        baseline_per_night = (cells.total_cramps + 0.5) / cells.total_nights
    priors = Priors(alpha_mean=math.log(baseline_per_night), period_sd=period_sd)
    posterior = fit_posterior(cells, priors)
    return TrialAnalysis(
        rate_ratio=rate_ratio_summary(posterior, threshold),
        control=control,
        treatment=treatment,
        nights=tally(nights),
        pain=analyze_pain(nights, pain_threshold),
        overdispersion=math.exp(posterior.log_k_marginal.median),
        priors=priors,
        posterior=posterior,
        evidence=evidence,
    )
