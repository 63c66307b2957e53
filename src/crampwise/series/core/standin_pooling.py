"""TEMPORARY stand-in for ``trials.core.pooling`` (branch series-pool) so the series pages can be
built and tested before it lands. Remove on merge: ``series.pooled`` imports the real module first.

A plain random-effects meta-analysis (DerSimonian-Laird) of each patient's log rate ratio from
their counts; only the interface matters here, not the method.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.trials.core.observations import TrialNight

Z95 = 1.959964


@dataclass(frozen=True)
class PatientTrialData:
    label: str
    nights: tuple[TrialNight, ...]


@dataclass(frozen=True)
class IndividualEstimate:
    label: str
    median: float
    ci95: tuple[float, float]
    unpooled_median: float
    unpooled_ci95: tuple[float, float]


@dataclass(frozen=True)
class PooledResult:
    patients: int
    rate_ratio_median: float
    rate_ratio_ci95: tuple[float, float]
    p_reduction: float
    p_meaningful: float
    tau_median: float
    tau_ci95: tuple[float, float]
    predictive_ci: tuple[float, float]
    enough_data: bool
    individuals: tuple[IndividualEstimate, ...]
    threshold: float = 0.8


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _log_ratio(nights: Sequence[TrialNight]) -> tuple[float, float] | None:
    used = [n for n in nights if n.used]
    t = [n.cramps or 0 for n in used if n.treated]
    c = [n.cramps or 0 for n in used if not n.treated]
    if not t or not c:
        return None
    rt, rc = (sum(t) + 0.5) / len(t), (sum(c) + 0.5) / len(c)
    return math.log(rt / rc), 1 / (sum(t) + 0.5) + 1 / (sum(c) + 0.5)


def _ci(mu: float, var: float) -> tuple[float, float]:
    sd = math.sqrt(var)
    return (math.exp(mu - Z95 * sd), math.exp(mu + Z95 * sd))


def pool_trials(trials: Sequence[PatientTrialData], threshold: float = 0.8) -> PooledResult:
    estimates = [(p.label, _log_ratio(p.nights)) for p in trials]
    usable = [(label, e) for label, e in estimates if e is not None]
    if not usable:
        return PooledResult(len(trials), 1.0, (0.0, math.inf), 0.5, 0.5, 0.0, (0.0, 0.0),
                            (0.0, math.inf), False, (), threshold)  # fmt: skip
    ys = [e[0] for _, e in usable]
    vs = [e[1] for _, e in usable]
    w = [1 / v for v in vs]
    fixed = sum(wi * y for wi, y in zip(w, ys, strict=True)) / sum(w)
    q = sum(wi * (y - fixed) ** 2 for wi, y in zip(w, ys, strict=True))
    c = sum(w) - sum(wi**2 for wi in w) / sum(w)
    tau2 = max(0.0, (q - (len(ys) - 1)) / c) if c > 0 else 0.0
    wr = [1 / (v + tau2) for v in vs]
    mu = sum(wi * y for wi, y in zip(wr, ys, strict=True)) / sum(wr)
    var = 1 / sum(wr)
    individuals = []
    for label, (y, v) in usable:
        shrink = tau2 / (tau2 + v) if tau2 + v > 0 else 0.0
        centre = mu + shrink * (y - mu)
        individuals.append(IndividualEstimate(
            label, math.exp(centre), _ci(centre, shrink * v + (1 - shrink) ** 2 * var),
            math.exp(y), _ci(y, v),
        ))  # fmt: skip
    tau = math.sqrt(tau2)
    sd = math.sqrt(var)
    return PooledResult(
        patients=len(trials),
        rate_ratio_median=math.exp(mu),
        rate_ratio_ci95=_ci(mu, var),
        p_reduction=_phi(-mu / sd),
        p_meaningful=_phi((math.log(threshold) - mu) / sd),
        tau_median=tau,
        tau_ci95=(0.0, tau * 2 + 0.1),
        predictive_ci=_ci(mu, var + tau2),
        enough_data=len(usable) >= 2,
        individuals=tuple(individuals),
        threshold=threshold,
    )


def pooled_summary_words(result: PooledResult) -> list[str]:
    if not result.enough_data:
        return ["There is not yet enough data across patients for a pooled answer."]
    cut = round(100 * (1 - result.rate_ratio_median))
    low, high = result.predictive_ci
    return [
        f"Across {result.patients} people, cramps changed by about {-cut}% on the remedy.",
        f"{round(100 * result.p_reduction)}% likely that it cuts cramps on average.",
        f"Most people would see a ratio between {low:.2f} and {high:.2f}.",
    ]
