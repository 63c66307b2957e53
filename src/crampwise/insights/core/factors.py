"""Which daily factors go with worse or better nights, with honest uncertainty.

One joint model for all factors: log(cramp rate) = smooth time trend + sum of b_j * factor_j, so
each factor is adjusted for the others (still an association, not a cause). A blank value is
filled with the factor's mean plus a column marking blank nights, so it costs no night for the
other factors (see _fit_joint). exp(b) is the rate ratio: nights with vs without a yes/no factor, or per extra unit of a
count factor. It is estimated with negative binomial working weights (see _fit and poisson_model),
which suit over-dispersed nights better than Poisson ones. Its interval uses the EWC long-run
variance (see poisson_model), so over-dispersion, drift and runs of similar nights do not make it
falsely narrow. Across factors, Benjamini-Hochberg q-values guard against the many-tests trap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import FactorSpec
from crampwise.insights.core.false_discovery import q_values
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.poisson_model import (
    PoissonFit,
    RobustEstimate,
    fit_poisson,
    negative_binomial_inverse_shape,
    robust_coefficient,
)
from crampwise.insights.core.rates import WEEK
from crampwise.insights.core.rounding import ratio_or_none, round_or_none
from crampwise.insights.core.trend_basis import trend_columns, trend_df

# A verdict needs this many nights on each side (with / without; for a count factor, at or below
# its middle value / above it). Two weeks each is the least that says anything about a factor
# whose effect is as large as halving the cramps (research notes, section 6).
MIN_NIGHTS_EACH_SIDE = 14
# False-discovery rate for flagging a factor (research notes, section 6: BH at 10%).
FDR_Q = 0.10
# Weak ridge on the standardised factor coefficient (a normal prior with SD 2 on the log rate
# ratio per SD of the factor): it only matters when a factor perfectly separates the nights.
_FACTOR_PRIOR_SD = 2.0
_TREND_RIDGE = 1e-6
# A factor whose values (after the trend) are this close to a mix of the factors before it cannot
# be told apart from them in one model (e.g. two tags always logged together).
_ALIASED_R2 = 0.999
# False restores the earlier one-model-per-factor analysis (kept for comparison in simulation).
JOINT_MODEL = True
# False restores Poisson working weights (kept for comparison in simulation; see _fit).
NB_WEIGHTS = True

VERDICTS = ("worse", "better", "no_clear_link", "not_enough_data")


def analyse_factors(table: NightTable, specs: Sequence[FactorSpec]) -> list[dict[str, Any]]:
    """One result per factor spec, in the order given."""
    matrix = table.factor_matrix([spec.name for spec in specs])
    rows = [_describe(table, spec, matrix[:, i]) for i, spec in enumerate(specs)]
    tested = [r for r in rows if r["_model_nights"] is not None]
    if tested:
        trend = trend_columns(table.day, trend_df(table.span_days))
        y = table.cramps
        # The trend-only fit is the starting point of every factor's fit: a few steps then suffice.
        base = fit_poisson(trend, y, penalty=np.full(trend.shape[1], _TREND_RIDGE))
        if JOINT_MODEL:
            _fit_joint(tested, table, trend, y, base.mu)
        else:
            for r in tested:
                _fit_factor(r, table, trend, y, base.mu)
    tested = [r for r in rows if r["p_value"] is not None]
    for r, q in zip(tested, q_values([r["p_value"] for r in tested]), strict=True):
        r["q_value"] = q
    return [_finish(r) for r in rows]


def _describe(table: NightTable, spec: FactorSpec, values: np.ndarray) -> dict[str, Any]:
    known = ~np.isnan(values)
    v = values[known]
    y = table.cramps[known]
    exposed = v > 0
    enough = _enough_on_each_side(v, spec.kind)
    return {
        "name": spec.name,
        "label": _(spec.label) if spec.builtin and spec.label else (spec.label or spec.name),
        "kind": spec.kind,
        "nights_exposed": int(exposed.sum()),
        "nights_unexposed": int((~exposed).sum()),
        "nights_without_value": int(table.size - known.sum()),
        "cramps_per_week_exposed": _weekly(y[exposed]),
        "cramps_per_week_unexposed": _weekly(y[~exposed]),
        "rate_ratio": None,
        "ci95": None,
        "p_value": None,
        "q_value": None,
        "_model_nights": known if enough else None,
        "_values": values,
    }


def _enough_on_each_side(v: np.ndarray, kind: str) -> bool:
    if kind == "yes_no":
        low, high = int((v <= 0).sum()), int((v > 0).sum())
    else:
        # A count factor need not ever be zero (glasses of fluid): what it needs is spread, so
        # the two sides are "at or below its middle value" and "above it".
        if v.size == 0:
            return False
        middle = float(np.median(v))
        low, high = int((v <= middle).sum()), int((v > middle).sum())
        if high == 0:
            low, high = int((v < middle).sum()), int((v >= middle).sum())
    return min(low, high) >= MIN_NIGHTS_EACH_SIDE


def _fit_joint(
    rows: list[dict[str, Any]],
    table: NightTable,
    trend: np.ndarray,
    y: np.ndarray,
    base_mu: np.ndarray,
) -> None:
    """All testable factors in one model, so each is adjusted for the others and the trend.

    A blank value is filled with that factor's mean over the nights that have one, and a column
    marks the blank nights (one column per distinct pattern of blanks), so the factor's effect is
    still learnt only from nights with a value and no night is dropped. A factor that the other
    columns reproduce almost exactly (R^2 > 0.999: a duplicate, an opposite, a rescaled count)
    cannot be separated from them; the last such factor in the list is taken out and judged on
    its own with the trend, as if it were the only factor, until none is left.
    """
    n = y.size
    k = trend.shape[1]
    candidates: list[tuple[dict[str, Any], np.ndarray, float, np.ndarray]] = []
    for r in rows:
        values = r["_values"]
        known = ~np.isnan(values)
        v = values[known]
        sd = float(v.std())
        if sd == 0:
            r.pop("_model_nights")
            continue
        col = np.zeros(n)
        col[known] = (v - v.mean()) / sd
        candidates.append((r, col, sd, ~known))
    alone: list[dict[str, Any]] = []
    while True:
        blanks: dict[bytes, np.ndarray] = {}
        for _r, _c, _s, blank in candidates:
            if blank.any():
                blanks.setdefault(blank.tobytes(), blank)
        indicators = []
        for mask in blanks.values():
            share = float(mask.mean())
            indicators.append((mask - share) / math.sqrt(share * (1 - share)))
        x = np.column_stack([trend, *(c[1] for c in candidates), *indicators])
        if not candidates:
            break
        gram = x.T @ x
        gram[np.diag_indices_from(gram)] += 1e-10 * float(np.trace(gram)) / gram.shape[0]
        inv_diag = np.diag(np.linalg.pinv(gram, hermitian=True))
        # Share of each factor column that no other column reproduces: 1 / (x'x [(X'X)^-1]_jj).
        unique = 1.0 / (np.diag(gram)[k : k + len(candidates)] * inv_diag[k : k + len(candidates)])
        aliased = np.flatnonzero(unique < 1 - _ALIASED_R2)
        if aliased.size == 0:
            break
        alone.append(candidates.pop(int(aliased[-1]))[0])
    if candidates:
        penalty = np.full(x.shape[1], _TREND_RIDGE)
        penalty[k:] = 1 / _FACTOR_PRIOR_SD**2
        fit = _fit(x, y, penalty, base_mu)
        for i, (r, _col, sd, _blank) in enumerate(candidates):
            r.pop("_model_nights")
            _store(r, robust_coefficient(fit, x, y, table.day, k + i, table.span_days), sd)
    for r in alone:
        _fit_factor(r, table, trend, y, base_mu)


def _fit(x: np.ndarray, y: np.ndarray, penalty: np.ndarray, start_mu: np.ndarray) -> PoissonFit:
    """The factor model with negative binomial working weights mu / (1 + mu / k).

    A Poisson fit first (its rate ratios are already consistent) gives the moment estimate of 1/k;
    the weighted refit then gives less say to nights with a high expected rate, whose counts are
    the most variable. The rate ratios stay consistent whatever the true variance, and the EWC
    interval does not rely on k, so k only buys efficiency: in simulation a halving was found in
    79% of one-year diaries instead of 76%, with the same false-alarm rate
    (benchmarks/insights_accuracy.py). NB_WEIGHTS = False restores Poisson weights.
    """
    if not NB_WEIGHTS:
        return fit_poisson(x, y, penalty=penalty, start_mu=start_mu)
    # The Poisson fit only supplies the means for 1/k, so a loose tolerance will do (1/k then agrees
    # with the fully converged fit's to 1e-6; a fixed 3 steps did not: a factor that nearly
    # separates the nights needs more); the weighted fit starts from those means.
    rough = fit_poisson(x, y, penalty=penalty, start_mu=start_mu, tol=1e-4)
    inverse_shape = negative_binomial_inverse_shape(y, rough.mu)
    return fit_poisson(x, y, penalty=penalty, start_mu=rough.mu, inverse_shape=inverse_shape)


def _store(r: dict[str, Any], est: RobustEstimate, sd: float) -> None:
    if not math.isfinite(est.se) or est.se <= 0:
        return
    low, high = est.ci()
    r["rate_ratio"] = math.exp(est.estimate / sd)
    r["ci95"] = (math.exp(low / sd), math.exp(high / sd))
    r["p_value"] = est.p_value


def _fit_factor(
    r: dict[str, Any], table: NightTable, trend: np.ndarray, y: np.ndarray, base_mu: np.ndarray
) -> None:
    known = r.pop("_model_nights")
    v = r["_values"][known]
    sd = float(v.std())
    if sd == 0:
        return
    # Standardise so the ridge means the same for "yes/no" and "exercise minutes".
    x = np.column_stack([trend[known], (v - v.mean()) / sd])
    penalty = np.full(x.shape[1], _TREND_RIDGE)
    penalty[-1] = 1 / _FACTOR_PRIOR_SD**2
    fit = _fit(x, y[known], penalty, base_mu[known])
    est = robust_coefficient(fit, x, y[known], table.day[known], x.shape[1] - 1, table.span_days)
    if not math.isfinite(est.se) or est.se <= 0:
        return
    low, high = est.ci()
    r["rate_ratio"] = math.exp(est.estimate / sd)
    r["ci95"] = (math.exp(low / sd), math.exp(high / sd))
    r["p_value"] = est.p_value


def _weekly(y: np.ndarray) -> float | None:
    return WEEK * float(y.sum()) / y.size if y.size else None


def _finish(r: dict[str, Any]) -> dict[str, Any]:
    r.pop("_model_nights", None)
    r.pop("_values", None)
    verdict = _verdict(r)
    r["verdict"] = verdict
    r["message"] = _message(r, verdict)
    r["rate_ratio"] = ratio_or_none(r["rate_ratio"])
    r["ci95"] = [ratio_or_none(c) for c in r["ci95"]] if r["ci95"] else None
    r["p_value"] = ratio_or_none(r["p_value"], 3)
    r["q_value"] = ratio_or_none(r["q_value"], 3)
    r["cramps_per_week_exposed"] = round_or_none(r["cramps_per_week_exposed"], 2)
    r["cramps_per_week_unexposed"] = round_or_none(r["cramps_per_week_unexposed"], 2)
    return r


def _verdict(r: dict[str, Any]) -> str:
    if r["q_value"] is None or r["ci95"] is None:
        return "not_enough_data"
    # Both conditions: a small q across all factors, and the interval we show excludes 1, so the
    # words never contradict the picture.
    if r["q_value"] <= FDR_Q and r["ci95"][0] > 1:
        return "worse"
    if r["q_value"] <= FDR_Q and r["ci95"][1] < 1:
        return "better"
    return "no_clear_link"


def _message(r: dict[str, Any], verdict: str) -> str:
    label = r["label"]
    with_n = ngettext("%(n)d night with it", "%(n)d nights with it", r["nights_exposed"]) % {
        "n": r["nights_exposed"]
    }
    without_n = ngettext("%(n)d without", "%(n)d without", r["nights_unexposed"]) % {
        "n": r["nights_unexposed"]
    }
    if verdict == "not_enough_data":
        return _(
            "Not enough nights yet to tell if “%(label)s” goes with your cramps. "
            "We need at least %(min)d nights on each side."
        ) % {"label": label, "min": MIN_NIGHTS_EACH_SIDE}
    if verdict == "no_clear_link":
        if r["kind"] == "count":
            nights = r["nights_exposed"] + r["nights_unexposed"]
            return ngettext(
                "No clear link between “%(label)s” and your cramps (%(n)d night).",
                "No clear link between “%(label)s” and your cramps (%(n)d nights).",
                nights,
            ) % {"label": label, "n": nights}
        return _("No clear link between “%(label)s” and your cramps (%(with)s, %(without)s).") % {
            "label": label,
            "with": with_n,
            "without": without_n,
        }
    numbers = {
        "label": label,
        "ratio": _times(r["rate_ratio"]),
        "low": _times(r["ci95"][0]),
        "high": _times(r["ci95"][1]),
        "with": with_n,
        "without": without_n,
        "nights": r["nights_exposed"] + r["nights_unexposed"],
    }
    caution = _(
        "This is a link, not proof that one causes the other. A personal trial can test it."
    )
    if r["kind"] == "count":
        if verdict == "worse":
            text = _(
                "More “%(label)s” went with more cramps: %(ratio)s times the cramps for each 1 more "
                "(likely between %(low)s and %(high)s; over %(nights)d recorded nights)."
            )
        else:
            text = _(
                "More “%(label)s” went with fewer cramps: %(ratio)s times the cramps for each 1 more "
                "(likely between %(low)s and %(high)s; over %(nights)d recorded nights)."
            )
    elif verdict == "worse":
        text = _(
            "Nights with “%(label)s” had more cramps: %(ratio)s times as many "
            "(likely between %(low)s and %(high)s; %(with)s, %(without)s)."
        )
    else:
        text = _(
            "Nights with “%(label)s” had fewer cramps: %(ratio)s times as many "
            "(likely between %(low)s and %(high)s; %(with)s, %(without)s)."
        )
    return (text % numbers) + " " + caution


def _times(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.0f}"
