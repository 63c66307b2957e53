"""Which daily factors go with worse or better nights, with honest uncertainty.

One model per factor: log(cramp rate) = smooth time trend + b * factor, fitted to the recorded
nights that have a value for that factor (a blank value drops the night from that factor's model
only). exp(b) is the rate ratio: nights with vs without a yes/no factor, or per extra unit of a
count factor. Its interval uses the EWC long-run variance (see poisson_model), so over-dispersion,
drift and runs of similar nights do not make it falsely narrow. Across factors, Benjamini-Hochberg
q-values guard against the many-tests trap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from crampwise.diary.records import FactorSpec
from crampwise.i18n import gettext as _
from crampwise.i18n import ngettext

from .false_discovery import q_values
from .night_table import NightTable
from .poisson_model import fit_poisson, robust_coefficient
from .rates import WEEK
from .rounding import ratio_or_none, round_or_none
from .trend_basis import trend_columns, trend_df

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

VERDICTS = ("worse", "better", "no_clear_link", "not_enough_data")


def analyse_factors(table: NightTable, specs: Sequence[FactorSpec]) -> list[dict]:
    """One result per factor spec, in the order given."""
    matrix = table.factor_matrix([spec.name for spec in specs])
    rows = [_describe(table, spec, matrix[:, i]) for i, spec in enumerate(specs)]
    tested = [r for r in rows if r["_model_nights"] is not None]
    if tested:
        trend = trend_columns(table.day, trend_df(table.span_days))
        y = table.cramps
        # The trend-only fit is the starting point of every factor's fit: a few steps then suffice.
        base = fit_poisson(trend, y, penalty=np.full(trend.shape[1], _TREND_RIDGE))
        for r in tested:
            _fit_factor(r, table, trend, y, base.mu)
    tested = [r for r in rows if r["p_value"] is not None]
    for r, q in zip(tested, q_values([r["p_value"] for r in tested]), strict=True):
        r["q_value"] = q
    return [_finish(r) for r in rows]


def _describe(table: NightTable, spec: FactorSpec, values: np.ndarray) -> dict:
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


def _fit_factor(
    r: dict, table: NightTable, trend: np.ndarray, y: np.ndarray, base_mu: np.ndarray
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
    fit = fit_poisson(x, y[known], penalty=penalty, start_mu=base_mu[known])
    est = robust_coefficient(fit, x, y[known], table.day[known], x.shape[1] - 1, table.span_days)
    if not math.isfinite(est.se) or est.se <= 0:
        return
    low, high = est.ci()
    r["rate_ratio"] = math.exp(est.estimate / sd)
    r["ci95"] = (math.exp(low / sd), math.exp(high / sd))
    r["p_value"] = est.p_value


def _weekly(y: np.ndarray) -> float | None:
    return WEEK * float(y.sum()) / y.size if y.size else None


def _finish(r: dict) -> dict:
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


def _verdict(r: dict) -> str:
    if r["q_value"] is None or r["ci95"] is None:
        return "not_enough_data"
    # Both conditions: a small q across all factors, and the interval we show excludes 1, so the
    # words never contradict the picture.
    if r["q_value"] <= FDR_Q and r["ci95"][0] > 1:
        return "worse"
    if r["q_value"] <= FDR_Q and r["ci95"][1] < 1:
        return "better"
    return "no_clear_link"


def _message(r: dict, verdict: str) -> str:
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
    }
    caution = _(
        "This is a link, not proof that one causes the other. A personal trial can test it."
    )
    if r["kind"] == "count":
        if verdict == "worse":
            text = _(
                "More “%(label)s” went with more cramps: %(ratio)s times the cramps for each 1 more "
                "(likely between %(low)s and %(high)s)."
            )
        else:
            text = _(
                "More “%(label)s” went with fewer cramps: %(ratio)s times the cramps for each 1 more "
                "(likely between %(low)s and %(high)s)."
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
