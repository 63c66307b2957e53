"""How long a trial needs to be: the chance of a clear answer, by simulation under the model.

"Clear answer" means the finished trial says P(ratio < 1) >= 0.95. Trials are simulated from the
same negative binomial model the analysis uses (with 10% of nights unrecorded, as in real diaries)
and analysed with the fast batch method, which the tests check against the full analysis. Common
random numbers (a fixed seed, one set of simulated trials cut at different lengths) make the chance
rise smoothly with length, and the search starts from the normal approximation. Answers are cached.

The web wizard must answer in a second or two even on a busy 2-core machine, so the default designs
come with a precomputed table (``power_table.json``, written by ``benchmarks/trials_power.py
--write-table`` with exactly this procedure); between its points the chance is interpolated in the
log of the rate and in the ratio. Questions outside the table are simulated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.trials.core.batch_laplace import analyze_batch
from crampwise.trials.core.design import KIND_DEFAULTS, RemedyKind
from crampwise.trials.core.simulate import Scenario, SimulatedTrials, simulate_trials

DEFAULT_SUCCESS = 0.95  # the finished trial's P(ratio < 1) that counts as a clear answer
DEFAULT_TARGET = 0.8  # "a 4 in 5 chance"
DEFAULT_OVERDISPERSION = 1.5
DEFAULT_MISSING = 0.1
DEFAULT_MAX_WEEKS = 52
SIMULATED_TRIALS = 600
SEED = 20_151_738  # fixed: the same question always gets the same answer
TABLE_FILE = Path(__file__).with_name("power_table.json")


def chance_of_clear_answer(
    cramps_per_week: float,
    rate_ratio: float,
    *,
    period_nights: int = 7,
    pairs: int = 8,
    washout_nights: int = 0,
    overdispersion: float = DEFAULT_OVERDISPERSION,
    missing: float = DEFAULT_MISSING,
    success: float = DEFAULT_SUCCESS,
    trials: int = SIMULATED_TRIALS,
) -> float:
    """The chance that a trial of this shape ends with P(ratio < 1) >= ``success``."""
    curve = _power_curve(
        round(cramps_per_week, 2), round(rate_ratio, 3), period_nights, washout_nights, pairs,
        round(overdispersion, 3), round(missing, 3), success, trials,
    )  # fmt: skip
    chance = curve.chance(pairs)
    curve.release()
    return chance


class _PowerCurve:
    """Simulated trials of the longest length, analysed lazily at shorter lengths.

    Only the answers are kept between calls; the simulated nights are dropped after each question
    and rebuilt from the fixed seed if needed, so the cache stays small in a web process.
    """

    def __init__(self, scenario: Scenario, success: float, trials: int) -> None:
        self.scenario = scenario
        self.success = success
        self.trials = trials
        self._chances: dict[int, float] = {}
        self._simulated: SimulatedTrials | None = None

    def chance(self, pairs: int) -> float:
        if pairs not in self._chances:
            if self._simulated is None:
                rng = np.random.default_rng(SEED)
                self._simulated = simulate_trials(self.scenario, self.trials, rng)
            posterior = analyze_batch(self._simulated, periods=2 * pairs)
            self._chances[pairs] = float(np.mean(posterior.prob_below(0.0) >= self.success))
        return self._chances[pairs]

    def release(self) -> None:
        self._simulated = None


@lru_cache(maxsize=512)
def _power_curve(
    cramps_per_week: float,
    rate_ratio: float,
    period_nights: int,
    washout_nights: int,
    max_pairs: int,
    overdispersion: float,
    missing: float,
    success: float,
    trials: int,
) -> _PowerCurve:
    scenario = Scenario(
        cramps_per_week=cramps_per_week,
        rate_ratio=rate_ratio,
        pairs=max_pairs,
        period_nights=period_nights,
        washout_nights=washout_nights,
        overdispersion=overdispersion,
        missing=missing,
    )
    return _PowerCurve(scenario, success, trials)


@dataclass(frozen=True, slots=True)
class WeeksAdvice:
    weeks: float | None  # None when even the longest trial falls short
    pairs: int | None
    chance: float  # at the recommended length, or at the longest length when it falls short
    sentence: str


def recommend_weeks(
    cramps_per_week: float,
    rate_ratio: float,
    *,
    kind: RemedyKind | str = RemedyKind.STRETCHING,
    remedy: str | None = None,
    target: float = DEFAULT_TARGET,
    max_weeks: int = DEFAULT_MAX_WEEKS,
    overdispersion: float = DEFAULT_OVERDISPERSION,
    missing: float = DEFAULT_MISSING,
    success: float = DEFAULT_SUCCESS,
    trials: int = SIMULATED_TRIALS,
) -> WeeksAdvice:
    """The shortest trial (whole pairs) with at least ``target`` chance of a clear answer."""
    if cramps_per_week <= 0:
        raise ValueError("the baseline rate must be above zero")
    if not 0 < rate_ratio < 1:
        raise ValueError("the hoped-for rate ratio must be between 0 and 1")
    defaults = KIND_DEFAULTS[RemedyKind(kind)]
    weeks_per_pair = 2 * defaults.period_nights / 7
    max_pairs = max(1, int(max_weeks // weeks_per_pair))
    name = remedy or _("the remedy")
    settings = (overdispersion, missing, success, trials)
    if settings == (DEFAULT_OVERDISPERSION, DEFAULT_MISSING, DEFAULT_SUCCESS, SIMULATED_TRIALS):
        chances = table_chances(
            defaults.period_nights, defaults.washout_nights, cramps_per_week, rate_ratio
        )
        if chances is not None and len(chances) >= max_pairs:
            return _advice(
                chances[:max_pairs], weeks_per_pair, cramps_per_week, rate_ratio, name, target
            )
    curve = _power_curve(
        round(cramps_per_week, 2), round(rate_ratio, 3), defaults.period_nights,
        defaults.washout_nights, max_pairs, round(overdispersion, 3), round(missing, 3),
        success, trials,
    )  # fmt: skip
    try:
        return _search(curve, max_pairs, weeks_per_pair, cramps_per_week, rate_ratio, name, target)
    finally:
        curve.release()


def _search(
    curve: _PowerCurve,
    max_pairs: int,
    weeks_per_pair: float,
    cramps_per_week: float,
    rate_ratio: float,
    name: str,
    target: float,
) -> WeeksAdvice:
    if curve.chance(max_pairs) < target:
        return WeeksAdvice(
            weeks=None,
            pairs=None,
            chance=curve.chance(max_pairs),
            sentence=_falls_short_sentence(
                cramps_per_week, max_pairs * weeks_per_pair, rate_ratio, name, target
            ),
        )
    pairs = _shortest(curve, max_pairs, target)
    weeks = pairs * weeks_per_pair
    return WeeksAdvice(
        weeks=weeks,
        pairs=pairs,
        chance=curve.chance(pairs),
        sentence=_weeks_sentence(cramps_per_week, weeks, rate_ratio, name, target),
    )


def _advice(
    chances: list[float],
    weeks_per_pair: float,
    rate: float,
    rate_ratio: float,
    name: str,
    target: float,
) -> WeeksAdvice:
    """Advice from the chance at 1, 2, ... pairs (the table's path)."""
    for pairs, chance in enumerate(chances, start=1):
        if chance >= target:
            weeks = pairs * weeks_per_pair
            return WeeksAdvice(
                weeks, pairs, chance, _weeks_sentence(rate, weeks, rate_ratio, name, target)
            )
    longest = len(chances) * weeks_per_pair
    return WeeksAdvice(
        None, None, chances[-1], _falls_short_sentence(rate, longest, rate_ratio, name, target)
    )


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    if not TABLE_FILE.exists():
        return {}
    table: dict[str, Any] = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return table


def table_chances(
    period_nights: int, washout_nights: int, cramps_per_week: float, rate_ratio: float
) -> list[float] | None:
    """Chance at 1, 2, ... pairs from the precomputed table, or None outside it."""
    design = _table().get("designs", {}).get(f"{period_nights}/{washout_nights}")
    if design is None:
        return None
    rates, ratios, grid = design["rates"], design["ratios"], np.array(design["chance"])
    if not (rates[0] <= cramps_per_week <= rates[-1] and ratios[0] <= rate_ratio <= ratios[-1]):
        return None
    # Bilinear in (log rate, ratio): the chance changes smoothly along both.
    x = np.interp(math.log(cramps_per_week), np.log(rates), np.arange(len(rates)))
    y = np.interp(rate_ratio, ratios, np.arange(len(ratios)))
    i, j = min(int(x), len(rates) - 2), min(int(y), len(ratios) - 2)
    fx, fy = x - i, y - j
    chance = (
        grid[i, j] * (1 - fx) * (1 - fy)
        + grid[i + 1, j] * fx * (1 - fy)
        + grid[i, j + 1] * (1 - fx) * fy
        + grid[i + 1, j + 1] * fx * fy
    )
    return [float(c) for c in chance]


def chance_by_pairs(
    cramps_per_week: float,
    rate_ratio: float,
    period_nights: int,
    washout_nights: int,
    max_pairs: int,
    lengths: Sequence[int] | None = None,
) -> list[float]:
    """The simulated chance at each length (default 1 to ``max_pairs`` pairs), as in the table."""
    curve = _PowerCurve(
        Scenario(
            cramps_per_week=cramps_per_week,
            rate_ratio=rate_ratio,
            pairs=max_pairs,
            period_nights=period_nights,
            washout_nights=washout_nights,
            overdispersion=DEFAULT_OVERDISPERSION,
            missing=DEFAULT_MISSING,
        ),  # fmt: skip
        DEFAULT_SUCCESS,
        SIMULATED_TRIALS,
    )
    return [curve.chance(p) for p in (lengths or range(1, max_pairs + 1))]


def _shortest(curve: _PowerCurve, max_pairs: int, target: float) -> int:
    """The fewest pairs whose chance reaches the target, given that ``max_pairs`` reaches it.

    Each evaluation analyses hundreds of trials, so instead of a blind bisection the first guess
    comes from the usual normal approximation (the signal-to-noise ratio grows with the square root
    of the trial's length); a short walk from there settles the exact number.
    """
    z_success = NormalDist().inv_cdf(curve.success)
    top = min(max(curve.chance(max_pairs), 0.5), 0.995)
    z_top = NormalDist().inv_cdf(top) + z_success
    needed = NormalDist().inv_cdf(target) + z_success
    guess = int(round(max_pairs * (needed / z_top) ** 2))
    pairs = min(max(guess, 1), max_pairs)
    if curve.chance(pairs) >= target:
        while pairs > 1 and curve.chance(pairs - 1) >= target:
            pairs -= 1
        return pairs
    while curve.chance(pairs) < target:
        pairs += 1
    return pairs


def _rate_words(cramps_per_week: float) -> str:
    shown = round(cramps_per_week) if cramps_per_week >= 2 else round(cramps_per_week, 1)
    text = f"{shown:g}"
    return ngettext(
        "about %(rate)s cramp a week", "about %(rate)s cramps a week", 1 if shown == 1 else 2
    ) % {"rate": text}


def effect_words(rate_ratio: float, remedy: str) -> str:
    if abs(rate_ratio - 0.5) < 0.005:
        return _("%(remedy)s halves your cramps") % {"remedy": remedy}
    return _("%(remedy)s cuts your cramps by %(percent)s%%") % {
        "remedy": remedy,
        "percent": round(100 * (1 - rate_ratio)),
    }


def chance_words(chance: float) -> str:
    spoken = {0.5: _("1 in 2"), 0.75: _("3 in 4"), 0.8: _("4 in 5"), 0.9: _("9 in 10")}
    for value, words in spoken.items():
        if abs(chance - value) < 0.005:
            return words
    return _("%(percent)s%%") % {"percent": round(100 * chance)}


def _weeks_sentence(
    rate: float, weeks: float, rate_ratio: float, remedy: str, target: float
) -> str:
    return _(
        "With %(rate)s, %(weeks)s weeks gives a %(chance)s chance of a clear answer if %(effect)s."
    ) % {
        "rate": _rate_words(rate),
        "weeks": f"{weeks:g}",
        "chance": chance_words(target),
        "effect": effect_words(rate_ratio, remedy),
    }


def _falls_short_sentence(
    rate: float, weeks: float, rate_ratio: float, remedy: str, target: float
) -> str:
    return _(
        "With %(rate)s, even %(weeks)s weeks gives less than a %(chance)s chance of a clear "
        "answer if %(effect)s. A trial only makes sense if you expect a bigger change."
    ) % {
        "rate": _rate_words(rate),
        "weeks": f"{weeks:g}",
        "chance": chance_words(target),
        "effect": effect_words(rate_ratio, remedy),
    }
