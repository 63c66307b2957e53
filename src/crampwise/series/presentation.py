"""The series' figures as the page, the PDF and the API show them: numbers rounded, words made."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crampwise.series import pooled
from crampwise.series.core.forest import ForestRow, forest_svg
from crampwise.series.models import Protocol
from crampwise.series.summary import SeriesSummary
from crampwise.trials.services.catalogue import remedy_words


def ratio(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.2f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def cut_words(value: float) -> str:
    """A rate ratio as a change people read: 0.7 -> "30% fewer", 1.2 -> "20% more"."""
    change = round(100 * (1 - value))
    if change >= 0:
        return _("%(n)s%% fewer") % {"n": change}
    return _("%(n)s%% more") % {"n": -change}


def pooled_dict(summary: SeriesSummary, protocol: Protocol) -> dict[str, Any]:
    """The pooled answer as plain data: the API's and the page's one source."""
    result = summary.pooled
    out: dict[str, Any] = {
        "patients": len(summary.rows),
        "compares": list(summary.labels),
        "sealed": summary.sealed,
        "threshold": protocol.threshold,
        "enough_data": bool(result is not None and result.enough_data),
        "words": list(summary.words),
    }
    if result is not None and result.enough_data:
        out.update({
            "rate_ratio_median": result.rate_ratio_median,
            "rate_ratio_ci95": list(result.rate_ratio_ci95),
            "p_reduction": result.p_reduction,
            "p_meaningful": result.p_meaningful,
            "tau_median": result.tau_median,
            "tau_ci95": list(result.tau_ci95),
            "predictive_ci": list(result.predictive_ci),
            "individuals": [
                {"patient": i.label, "median": i.median, "ci95": list(i.ci95),
                 "unpooled_median": i.unpooled_median, "unpooled_ci95": list(i.unpooled_ci95)}
                for i in pooled.individuals(result)
            ],
        })  # fmt: skip
    return out


def page_numbers(summary: SeriesSummary, protocol: Protocol) -> dict[str, Any] | None:
    result = summary.pooled
    if result is None or not result.enough_data:
        return None
    low, high = result.predictive_ci
    return {
        "ratio": ratio(result.rate_ratio_median),
        "low": ratio(result.rate_ratio_ci95[0]),
        "high": ratio(result.rate_ratio_ci95[1]),
        "p_reduction": percent(result.p_reduction),
        "p_meaningful": percent(result.p_meaningful),
        "cut": round(100 * (1 - protocol.threshold)),
        "tau": f"{result.tau_median:.2f}",
        "tau_low": f"{result.tau_ci95[0]:.2f}",
        "tau_high": f"{result.tau_ci95[1]:.2f}",
        "most_from": cut_words(high),
        "most_to": cut_words(low),
        "predictive_low": ratio(low),
        "predictive_high": ratio(high),
    }


def forest(summary: SeriesSummary) -> dict[str, Any] | None:
    """The forest plot's SVG and the rows of its data table."""
    result = summary.pooled
    if result is None or not result.enough_data or not result.individuals:
        return None
    rows = [
        ForestRow(i.label, i.median, i.ci95[0], i.ci95[1], i.unpooled_median,
                  i.unpooled_ci95[0], i.unpooled_ci95[1])
        for i in pooled.individuals(result)
    ]  # fmt: skip
    pooled_row = ForestRow(_("All"), result.rate_ratio_median, *result.rate_ratio_ci95)
    title = _(
        "Forest plot: cramp rate ratio of %(a)s over %(b)s for each patient (own estimate, and "
        "shrunk towards the population) and for all patients. The table below has the numbers."
    ) % {"a": summary.labels[0], "b": summary.labels[1]}
    axis = _("Rate ratio, %(a)s over %(b)s (below 1: fewer cramps)") % {
        "a": summary.labels[0], "b": summary.labels[1]
    }  # fmt: skip
    table = [
        {"label": i.label, "own": ratio(i.unpooled_median),
         "own_low": ratio(i.unpooled_ci95[0]), "own_high": ratio(i.unpooled_ci95[1]),
         "shrunk": ratio(i.median), "low": ratio(i.ci95[0]), "high": ratio(i.ci95[1])}
        for i in pooled.individuals(result)
    ]  # fmt: skip
    return {"svg": forest_svg(rows, pooled_row, title, axis), "title": title, "table": table}


def patient_rows(summary: SeriesSummary) -> list[dict[str, Any]]:
    out = []
    for row in summary.rows:
        result = row.result
        out.append({
            "row": row,
            "adherence": percent(row.followed / row.answered) if row.answered else "–",
            "ratio": ratio(result["median"]) if result and result.get("enough_data") else None,
            "low": ratio(result["ci95"][0]) if result and result.get("enough_data") else None,
            "high": ratio(result["ci95"][1]) if result and result.get("enough_data") else None,
            "p_meaningful": percent(result["p_meaningful"])
            if result and result.get("enough_data") else None,
        })  # fmt: skip
    return out


def remedy_noun(protocol: Protocol) -> str:
    return remedy_words(protocol.remedy_id).noun


def _design_sentence(protocol: Protocol, noun: str) -> str:
    """The periods of a patient's trial: pairs, or blocks of four or six."""
    values = {"pairs": protocol.pairs, "periods": 2 * protocol.pairs,
              "blocks": 2 * protocol.pairs // protocol.block_periods,
              "size": protocol.block_periods, "half": protocol.block_periods // 2,
              "nights": protocol.period_nights, "remedy": noun}  # fmt: skip
    if protocol.block_periods == 2:
        return (
            _(
                "Each patient runs %(pairs)s pairs of %(nights)s-night periods: one with "
                "%(remedy)s and one without, in a random order."
            )
            % values
        )
    return (
        _(
            "Each patient runs %(periods)s periods of %(nights)s nights in %(blocks)s blocks of "
            "%(size)s periods: %(half)s with %(remedy)s and %(half)s without in each block, in a "
            "random order."
        )
        % values
    )


def _randomisation_sentence(protocol: Protocol) -> str:
    if protocol.block_periods == 2:
        return _(
            "Each patient has their own schedule, drawn when they join: a fair coin for the order "
            "within each pair, from a recorded seed through SHA-256, so it can be checked later."
        )
    return _(
        "Each patient has their own schedule, drawn when they join: a shuffle of each block, "
        "every order with as many periods with the remedy as without being equally likely, from "
        "a recorded seed through SHA-256, so it can be checked later. Planned looks fall only at "
        "the ends of blocks, where the two kinds of period balance."
    )


def design_words(protocol: Protocol) -> dict[str, str]:
    """The protocol's CENT items for a series, in words (the print page and the PDF)."""
    weeks = (protocol.run_in_nights + 2 * protocol.pairs * protocol.period_nights) / 7
    noun = remedy_noun(protocol)
    run_in = (
        _("A run-in of %(n)s nights of plain diary comes first.") % {"n": protocol.run_in_nights}
        if protocol.run_in_nights
        else _("There is no run-in.")
    )
    return {
        "design": " ".join((
            _("A series of personal (N-of-1) trials."),
            _design_sentence(protocol, noun),
            _("%(washout)s washout nights start each period and are left out. %(run_in)s "
              "About %(weeks)s weeks in all.")
            % {"washout": protocol.washout_nights, "run_in": run_in, "weeks": f"{weeks:.0f}"},
        )),
        "randomisation": _randomisation_sentence(protocol),
        "blinding": _(
            "Blinded. A pharmacy fills look-alike packs A and B; one is real. The key goes to "
            "the pharmacy by a link the study team never sees, and stays sealed for the protocol "
            "owner, who opens it only at the end. Until then every figure is by pack letter."
        ) if protocol.blinded else _("Open: patients know which nights have the remedy."),
        "outcome": _(
            "Cramps a night, from each patient's morning diary answers. Nights not answered are "
            "missing, never zero."
        ),
        "analysis": _(
            "Each patient's own Bayesian rate ratio (remedy over no remedy), then a random-effects "
            "model that pools all patients: the population rate ratio with a 95% interval, the "
            "spread between people (tau) and each patient's estimate shrunk towards the population."
        ),
        "threshold": _("A worthwhile cut is %(cut)s%% fewer cramps or more.")
        % {"cut": round(100 * (1 - protocol.threshold))},
    }  # fmt: skip


def patient_design_words(protocol: Protocol) -> list[str]:
    """The protocol's design as the patient reads it before joining (plain words)."""
    noun = remedy_noun(protocol)
    weeks = round((protocol.run_in_nights + 2 * protocol.pairs * protocol.period_nights) / 7)
    period_weeks = protocol.period_nights / 7
    period = (
        ngettext("%(n)s week", "%(n)s weeks", int(period_weeks)) % {"n": int(period_weeks)}
        if period_weeks.is_integer()
        else ngettext("%(n)s night", "%(n)s nights", protocol.period_nights)
        % {"n": protocol.period_nights}
    )
    words = [
        _("Your own trial lasts about %(weeks)s weeks.") % {"weeks": weeks},
        _(
            "It has %(periods)s periods of %(period)s each. In half of them you use %(remedy)s. "
            "In the other half you do not."
        ) % {"periods": 2 * protocol.pairs, "period": period, "remedy": noun},
        _("The order is drawn at random, just for you."),
    ]  # fmt: skip
    if protocol.washout_nights:
        words.append(
            ngettext(
                "The first night of each period is not counted.",
                "The first %(n)s nights of each period are not counted.",
                protocol.washout_nights,
            )
            % {"n": protocol.washout_nights}
        )
    if protocol.run_in_nights:
        words.insert(1, _("It starts with a week of your usual diary."))
    return words
