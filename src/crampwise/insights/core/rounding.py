"""Numbers ready for JSON: plain floats, rounded once, never NaN."""

from __future__ import annotations

import math


def round_or_none(x: float | None, digits: int = 2) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def ratio_or_none(x: float | None, significant: int = 4) -> float | None:
    """Keep significant digits, not decimals: 0.9987 per exercise minute must not become 1, and a
    p-value of 0.00002 must not become 0."""
    if x is None or not math.isfinite(x):
        return None
    if x == 0:
        return 0.0
    digits = significant - 1 - math.floor(math.log10(abs(x)))
    return round(float(x), max(0, digits))
