"""Which relief goes with shorter cramps, for this person, compared fairly.

People reach for more remedies when a cramp is bad, and bad cramps last longer, so a raw comparison
would make every remedy look useless. Instead one regression of log(duration) on all reliefs tried
plus the cramp's pain compares cramps of the same pain: exp(coefficient) is how many times as long
cramps with that relief lasted as cramps without it. Cramps of the same night are alike, so the
standard errors are clustered by night.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import RELIEFS, EpisodeRecord
from crampwise.insights.core.false_discovery import q_values
from crampwise.insights.core.rounding import ratio_or_none

# A comparison needs this many timed cramps with the relief and this many without.
MIN_EPISODES_EACH_SIDE = 8
FDR_Q = 0.10


def relief_labels() -> dict[str, str]:
    return {
        "stretch": _("Stretching"),
        "stand_walk": _("Standing or walking"),
        "massage": _("Massage"),
        "heat": _("Heat"),
        "cold": _("Cold"),
        "other": _("Something else"),
    }


def relief_section(episodes: Sequence[EpisodeRecord]) -> dict[str, Any]:
    timed = [e for e in episodes if e.duration_seconds is not None and e.duration_seconds > 0]
    tried = [r for r in RELIEFS if any(r in e.reliefs for e in episodes)]
    tried += sorted({r for e in episodes for r in e.reliefs} - set(RELIEFS))
    rows = [_describe(r, timed) for r in tried]
    testable = [row for row in rows if row["_ok"]]
    if testable:
        _fit(timed, rows)
    tested = [row for row in rows if row["p_value"] is not None]
    for row, q in zip(tested, q_values([row["p_value"] for row in tested]), strict=True):
        row["q_value"] = q
    return {
        "episodes_timed": len(timed),
        "episodes_not_timed": len(episodes) - len(timed),
        "reliefs": [_finish(row) for row in rows],
    }


def _describe(relief: str, timed: Sequence[EpisodeRecord]) -> dict[str, Any]:
    with_it = [float(e.duration_seconds or 0) for e in timed if relief in e.reliefs]
    without = [float(e.duration_seconds or 0) for e in timed if relief not in e.reliefs]
    return {
        "relief": relief,
        "label": relief_labels().get(relief, relief),
        "episodes_with": len(with_it),
        "episodes_without": len(without),
        "median_seconds_with": float(np.median(with_it)) if with_it else None,
        "median_seconds_without": float(np.median(without)) if without else None,
        "duration_ratio": None,
        "ci95": None,
        "p_value": None,
        "q_value": None,
        "_ok": min(len(with_it), len(without)) >= MIN_EPISODES_EACH_SIDE,
    }


def _fit(timed: Sequence[EpisodeRecord], rows: list[dict[str, Any]]) -> None:
    y = np.log([float(e.duration_seconds or 0) for e in timed])  # timed: all > 0
    columns = [np.ones(len(timed))]
    names: list[str | None] = [None]
    for row in rows:
        used = np.array([row["relief"] in e.reliefs for e in timed], dtype=float)
        if 0 < used.sum() < len(timed):  # a relief used always or never cannot be compared
            columns.append(used)
            names.append(row["relief"])
    pain = np.array([np.nan if e.pain is None else float(e.pain) for e in timed])
    known = ~np.isnan(pain)
    if known.sum() >= 2 and np.ptp(pain[known]) > 0:
        # A cramp without a pain score gets the average pain plus its own offset, so it still
        # informs the relief comparison without pretending to know its pain.
        columns.append(np.where(known, pain - pain[known].mean(), 0.0))
        names.append(None)
        if not known.all():
            columns.append((~known).astype(float))
            names.append(None)
    x = np.column_stack(columns)
    n, p = x.shape
    if n - p < 2:
        return
    xtx_inv = np.linalg.pinv(x.T @ x)
    coef = xtx_inv @ x.T @ y
    resid = y - x @ coef
    nights = [e.night for e in timed]
    index = {night: i for i, night in enumerate(dict.fromkeys(nights))}
    groups = np.array([index[night] for night in nights])
    g = len(index)
    if g < 3:
        return
    scores = np.zeros((g, p))
    np.add.at(scores, groups, x * resid[:, None])
    meat = scores.T @ scores
    # CR1 small-sample factor, and t with (clusters - 1) degrees of freedom.
    factor = g / (g - 1) * (n - 1) / (n - p)
    cov = factor * xtx_inv @ meat @ xtx_inv
    t_crit = float(stats.t.ppf(0.975, g - 1))
    by_name = {row["relief"]: row for row in rows}
    for j, name in enumerate(names):
        if name is None or not by_name[name]["_ok"]:
            continue
        se = math.sqrt(max(cov[j, j], 0.0))
        if se == 0:
            continue
        row = by_name[name]
        b = float(coef[j])
        row["duration_ratio"] = math.exp(b)
        row["ci95"] = (math.exp(b - t_crit * se), math.exp(b + t_crit * se))
        row["p_value"] = float(2 * stats.t.sf(abs(b / se), g - 1))


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row.pop("_ok")
    verdict = _verdict(row)
    row["verdict"] = verdict
    row["message"] = _message(row, verdict)
    row["duration_ratio"] = ratio_or_none(row["duration_ratio"])
    row["ci95"] = [ratio_or_none(c) for c in row["ci95"]] if row["ci95"] else None
    row["p_value"] = ratio_or_none(row["p_value"], 3)
    row["q_value"] = ratio_or_none(row["q_value"], 3)
    return row


def _verdict(row: dict[str, Any]) -> str:
    if row["q_value"] is None or row["ci95"] is None:
        return "not_enough_data"
    if row["q_value"] <= FDR_Q and row["ci95"][1] < 1:
        return "shorter"
    if row["q_value"] <= FDR_Q and row["ci95"][0] > 1:
        return "longer"
    return "no_clear_difference"


def _message(row: dict[str, Any], verdict: str) -> str:
    label = row["label"]
    if verdict == "not_enough_data":
        return _(
            "Not enough timed cramps yet to judge “%(label)s”. "
            "We need at least %(min)d cramps with it and %(min)d without."
        ) % {"label": label, "min": MIN_EPISODES_EACH_SIDE}
    counts = {"label": label, "with": row["episodes_with"], "without": row["episodes_without"]}
    if verdict == "no_clear_difference":
        return (
            _("Cramps with “%(label)s” lasted about as long as cramps without it.")
            + " "
            + _("Based on %(with)d cramps with it and %(without)d without.")
        ) % counts
    low, high = row["ci95"]
    if verdict == "shorter":
        numbers = {
            "pct": _percent(1 - row["duration_ratio"]),
            "low": _percent(1 - high),
            "high": _percent(1 - low),
        }
        text = _(
            "Cramps with “%(label)s” were about %(pct)s shorter (likely %(low)s to %(high)s shorter)."
        )
    else:
        numbers = {
            "pct": _percent(row["duration_ratio"] - 1),
            "low": _percent(low - 1),
            "high": _percent(high - 1),
        }
        text = _(
            "Cramps with “%(label)s” were about %(pct)s longer (likely %(low)s to %(high)s longer)."
        )
    return (
        (text % (counts | numbers))
        + " "
        + _("This compares cramps of the same pain.")
        + " "
        + _("Based on %(with)d cramps with it and %(without)d without.") % counts
    )


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"
