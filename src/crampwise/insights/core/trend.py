"""Cramps week by week, a smooth line through them, and whether the last month differs from before.

The smooth line is a Poisson regression of each week's cramps on a natural spline of time, with the
week's recorded nights as exposure, so a week with two recorded nights weighs less than a full one.
Its band is the 95% interval of the line, widened by the weekly over-dispersion.

A bend needs cramps and nights to rest on. The line gets at most one spline column per
``CRAMPS_PER_TREND_COLUMN`` cramps beyond the first ten (the usual ten events per parameter) and
per ``RECORDED_NIGHTS_PER_TREND_COLUMN`` recorded nights, and its spline columns carry a weak
normal prior (a ridge) that lets the trend move the rate by a factor of about 7 either way: a long
cramp-free stretch can no longer drive the line to minus infinity on the log scale, which is what
drew a band edge of 10^144 cramps a week for a diary without cramps. With too few cramps or nights
for any bend the line is flat at the diary's rate and the band is that rate's interval, the same
numbers the summary shows.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.poisson_model import fit_poisson
from crampwise.insights.core.rates import WEEK, Z95, RateComparison, compare, rate, window_summary
from crampwise.insights.core.rounding import ratio_or_none, round_or_none
from crampwise.insights.core.trend_basis import trend_columns, trend_df

WINDOW_NIGHTS = 28  # "the last 4 weeks"
EARLIER_GAP_NIGHTS = 56  # the earlier window ends 8 weeks (about 2 months) before today
MIN_WINDOW_NIGHTS = 14  # each window needs at least half its nights recorded
CHANGE_LEVEL = 0.05  # a change is "more than noise" when its 95% interval excludes no change
CRAMPS_PER_TREND_COLUMN = 10
RECORDED_NIGHTS_PER_TREND_COLUMN = 30  # and a bend needs recorded nights, not just calendar time
# Prior SD of the trend's log-rate deviation in any one week: 95% of it within a factor of ~7.
TREND_PRIOR_SD = 1.0


def week_start(night: date) -> date:
    return night - timedelta(days=night.weekday())  # weeks start on Monday


def weekly_trend(table: NightTable) -> list[dict[str, Any]]:
    """One row per calendar week from the first to the last recorded night, gaps included."""
    if table.first is None or table.last is None:
        return []
    first_week = week_start(table.first)
    n_weeks = (week_start(table.last) - first_week).days // 7 + 1
    week_of_night = ((table.day + (table.first - first_week).days) // 7).astype(np.int64)
    cramps = np.bincount(week_of_night, weights=table.cramps, minlength=n_weeks)
    nights = np.bincount(week_of_night, minlength=n_weeks).astype(float)
    smooth, low, high = _smooth(cramps, nights, table.cramps)
    rows = []
    for w in range(n_weeks):
        n = int(nights[w])
        rows.append(
            {
                "week_start": (first_week + timedelta(days=7 * w)).isoformat(),
                "cramps": int(cramps[w]),
                "nights": n,
                "cramps_per_week": round_or_none(WEEK * cramps[w] / n, 2) if n else None,
                "smoothed": round_or_none(smooth[w], 2),
                "band": [round_or_none(low[w], 2), round_or_none(high[w], 2)],
            }
        )
    return rows


def _smooth(
    cramps: np.ndarray, nights: np.ndarray, nightly: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smoothed cramps per week for every week, with a 95% band (NaN where it cannot be fitted)."""
    n_weeks = cramps.size
    seen = nights > 0
    nan = np.full(n_weeks, np.nan)
    if seen.sum() == 0:
        return nan, nan, nan
    # The same bendiness as the factor models (one bend per ~two months of diary), as far as the
    # cramps can carry it.
    supported = min(
        int(cramps.sum()) // CRAMPS_PER_TREND_COLUMN - 1,
        int(nights.sum()) // RECORDED_NIGHTS_PER_TREND_COLUMN,
    )
    df = min(trend_df(n_weeks * 7), max(0, int(seen.sum()) - 2), supported)
    if df <= 0 or n_weeks < 2:
        flat = rate(nightly)
        ones = np.ones(n_weeks)
        assert flat.per_week is not None and flat.ci95 is not None  # there are recorded nights
        return flat.per_week * ones, flat.ci95[0] * ones, flat.ci95[1] * ones
    x_all = trend_columns(np.arange(n_weeks), df)
    x = x_all[seen]
    offset = np.log(nights[seen])
    y = cramps[seen]
    # The columns are orthonormal over the weeks, so a coefficient b moves one week's log rate by
    # about b * sqrt(df / weeks): this ridge is a prior SD of TREND_PRIOR_SD on that move. The
    # constant keeps a negligible one (the cramps pin the level down).
    penalty = np.full(x.shape[1], df / (n_weeks * TREND_PRIOR_SD**2))
    penalty[0] = 1e-6
    fit = fit_poisson(x, y, offset=offset, penalty=penalty)
    dof = max(1, int(seen.sum()) - x.shape[1])
    pearson = float(np.sum((y - fit.mu) ** 2 / np.maximum(fit.mu, 1e-9)))
    phi = max(1.0, pearson / dof)
    if phi > 1.0:
        # Over-dispersion widens what the weeks say, not the prior: the quasi-likelihood is the
        # log-likelihood / phi, so the ridge weighs phi times as much against it, and the band's
        # variance phi * (X'WX + phi * ridge)^-1 = (X'WX / phi + ridge)^-1 keeps the prior's own.
        fit = fit_poisson(x, y, offset=offset, penalty=penalty * phi, start_mu=fit.mu)
    eta = x_all @ fit.coef
    se = np.sqrt(phi * np.einsum("ij,jk,ik->i", x_all, fit.bread_inv, x_all))
    scale = WEEK  # rate per night -> per week
    return scale * np.exp(eta), scale * np.exp(eta - Z95 * se), scale * np.exp(eta + Z95 * se)


def recent_change(table: NightTable, today: date) -> dict[str, Any]:
    """The last 28 nights compared with the 28 nights that ended 8 weeks earlier."""
    recent_first = today - timedelta(days=WINDOW_NIGHTS - 1)
    earlier_last = today - timedelta(days=EARLIER_GAP_NIGHTS)
    earlier_first = earlier_last - timedelta(days=WINDOW_NIGHTS - 1)
    recent = table.cramps[table.window(recent_first, today)]
    earlier = table.cramps[table.window(earlier_first, earlier_last)]
    result = compare(earlier, recent)
    verdict = _change_verdict(result)
    return {
        "verdict": verdict,
        "recent": window_summary(recent_first, today, result.after),
        "earlier": window_summary(earlier_first, earlier_last, result.before),
        "rate_ratio": ratio_or_none(result.ratio),
        "ci95": [ratio_or_none(c) for c in result.ci95] if result.ci95 else None,
        "p_value": ratio_or_none(result.p_value, 3),
        "sentence": _change_sentence(verdict, result),
    }


def _change_verdict(result: RateComparison) -> str:
    if min(result.before.nights, result.after.nights) < MIN_WINDOW_NIGHTS or result.p_value is None:
        return "not_enough_data"
    if result.p_value >= CHANGE_LEVEL or result.ratio is None or math.isclose(result.ratio, 1.0):
        return "no_clear_change"
    return "fewer" if result.ratio < 1 else "more"


def _change_sentence(verdict: str, result: RateComparison) -> str:
    if verdict == "not_enough_data":
        return _(
            "Not enough nights yet to compare with 2 months ago. "
            "We need at least %(min)d recorded nights in each 4-week stretch."
        ) % {"min": MIN_WINDOW_NIGHTS}
    numbers = {
        "now": f"{result.after.per_week:.1f}",
        "then": f"{result.before.per_week:.1f}",
        "n_now": result.after.nights,
        "n_then": result.before.nights,
    }
    if verdict == "fewer":
        text = _("Fewer cramps than 2 months ago: %(now)s vs %(then)s a week.")
    elif verdict == "more":
        text = _("More cramps than 2 months ago: %(now)s vs %(then)s a week.")
    else:
        text = _("No clear change from 2 months ago: %(now)s vs %(then)s a week.")
    nights = _("That is over %(n_now)d recorded nights now and %(n_then)d then.")
    # The same caution whichever way the change goes.
    caution = (
        _("The difference could be chance.")
        if verdict == "no_clear_change"
        else _("This may be chance or another cause.")
    )
    return f"{text % numbers} {nights % numbers} {caution}"


def trend_section(table: NightTable, today: date) -> dict[str, Any]:
    change = recent_change(table, today)
    return {
        "weeks": weekly_trend(table),
        "change": change,
        # The headline appears only when the change is more than night-to-night noise.
        "headline": change["sentence"] if change["verdict"] in ("fewer", "more") else None,
    }
