"""How bad the cramps were on remedy nights versus control nights: a simple normal model.

Worst pain (0-10) is only asked about nights that had a cramp; a cramp-free night has no cramp pain
to rate, and counting it as 0 would mix up "fewer cramps" with "milder cramps". So this compares the
worst pain of nights with at least one cramp. With a flat prior on the two means and on log sigma,
the difference of means has a Student t posterior, which needs no sampling at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crampwise.trials.core.observations import TrialNight

DEFAULT_PAIN_THRESHOLD = 1.0  # points on the 0-10 scale
# Pain is rated in whole points; even identical ratings hide about half a point of rounding.
MIN_PAIN_SD = 0.5


@dataclass(frozen=True, slots=True)
class PainSummary:
    nights_control: int
    nights_treatment: int
    mean_control: float
    mean_treatment: float
    difference: float  # treatment minus control; negative means milder on the remedy
    ci95: tuple[float, float]
    p_lower: float  # P(difference < 0)
    p_lower_by_threshold: float  # P(difference < -threshold)
    threshold: float

    def to_dict(self) -> dict[str, object]:
        return {
            "nights_control": self.nights_control,
            "nights_treatment": self.nights_treatment,
            "mean_control": round(self.mean_control, 3),
            "mean_treatment": round(self.mean_treatment, 3),
            "difference": {
                "median": round(self.difference, 3),
                "ci95": [round(v, 3) for v in self.ci95],
            },
            "p_lower": round(self.p_lower, 4),
            "p_lower_by_threshold": round(self.p_lower_by_threshold, 4),
            "threshold": self.threshold,
        }


def pain_nights(nights: Sequence[TrialNight]) -> tuple[np.ndarray, np.ndarray]:
    control: list[float] = []
    treatment: list[float] = []
    for n in nights:
        if n.used and n.cramps and n.worst_pain is not None:
            (treatment if n.treated else control).append(n.worst_pain)
    return np.array(control, dtype=float), np.array(treatment, dtype=float)


def analyze_pain(
    nights: Sequence[TrialNight], threshold: float = DEFAULT_PAIN_THRESHOLD
) -> PainSummary | None:
    """None when either arm has fewer than two nights with a cramp and a pain rating."""
    control, treatment = pain_nights(nights)
    n0, n1 = control.size, treatment.size
    if n0 < 2 or n1 < 2:
        return None
    df = n0 + n1 - 2
    pooled_var = (
        ((control - control.mean()) ** 2).sum() + ((treatment - treatment.mean()) ** 2).sum()
    ) / df
    sd = max(math.sqrt(pooled_var), MIN_PAIN_SD)
    scale = sd * math.sqrt(1.0 / n0 + 1.0 / n1)
    difference = float(treatment.mean() - control.mean())
    # Imported here: scipy.special is slow to import and only pain needs it on the CLI's path.
    from scipy.special import stdtr, stdtrit

    def cdf(value: float) -> float:
        return float(stdtr(df, (value - difference) / scale))

    def ppf(q: float) -> float:
        return float(difference + scale * stdtrit(df, q))

    return PainSummary(
        nights_control=n0,
        nights_treatment=n1,
        mean_control=float(control.mean()),
        mean_treatment=float(treatment.mean()),
        difference=difference,
        ci95=(ppf(0.025), ppf(0.975)),
        p_lower=cdf(0.0),
        p_lower_by_threshold=cdf(-threshold),
        threshold=threshold,
    )
