"""Benjamini-Hochberg q-values: many factors are tested at once, so some would look linked by luck.

A factor is flagged only when its q-value (the smallest false-discovery rate at which it would be
called) is small; across all the factors flagged, at most that share are expected to be flukes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def q_values(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values, in the order given."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    # Step-up: each q is the smallest adjusted value at its rank or above.
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(ranked, 1.0)
    return [float(v) for v in q]
