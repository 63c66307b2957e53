"""Where the minimum evidence (trials/core/evidence.py) comes from: what a trial can say with few cramps.

Simulates trials from the model (k = 1.5, period shifts SD 0.25, 7-night periods) at 0.5 to 7
cramps a week over 1 to 6 pairs, with no effect and with a true halving, analyses each with the
full method, and groups them by the cramps counted (both arms) and by the counted nights per arm.
For each group it prints: how much the data narrowed the prior (posterior SD of log RR; the prior's
is 1.0), the 95% interval as a factor (high end over low end), how often a true halving gives a clear
answer (P(cut) >= 0.95) and how often a null trial leans hard either way (P(cut) >= 0.8 or <= 0.2).

    PYTHONPATH=src python benchmarks/trials_minimum_evidence.py [--trials 40]
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.simulate import Scenario, simulate_trials

CRAMP_BINS = ((0, 4), (5, 9), (10, 14), (15, 24), (25, 10**6))
NIGHT_BINS = ((7, 7), (14, 14), (21, 28), (35, 42))


def run(trials: int) -> dict:
    rows: dict[tuple, list] = defaultdict(list)
    rng = np.random.default_rng(2026)
    for rate in (0.5, 1.0, 2.0, 4.0, 7.0):
        for pairs in (1, 2, 3, 4, 6):
            for ratio in (1.0, 0.5):
                simulated = simulate_trials(Scenario(rate, ratio, pairs=pairs), trials, rng)
                for i in range(trials):
                    nights = simulated.trial_nights(i)
                    result = analyze(nights)
                    rr = result.rate_ratio
                    cramps = result.control.cramps + result.treatment.cramps
                    per_arm = min(result.control.nights, result.treatment.nights)
                    rows[ratio, _bin(cramps, CRAMP_BINS), _bin(per_arm, NIGHT_BINS)].append(
                        (rr.sd_log, rr.ci95[1] / rr.ci95[0], rr.p_reduction)
                    )
    return rows


def _bin(value: int, bins) -> tuple[int, int] | None:
    for low, high in bins:
        if low <= value <= high:
            return low, high
    return None


def summarise(rows: dict, by: int) -> None:
    groups: dict = defaultdict(lambda: {1.0: [], 0.5: []})
    for (ratio, cramps, nights), values in rows.items():
        key = (cramps, nights)[by]
        if key is not None:
            groups[key][ratio].extend(values)
    label = ("cramps counted", "nights per arm")[by]
    print(f"\nby {label}:")
    print(f"  {label:>15}  trials  post.SD  interval x  halving clear  null leans")
    for key in sorted(groups):
        null, halving = groups[key][1.0], groups[key][0.5]
        if not null or not halving:
            continue
        sd = np.median([v[0] for v in null + halving])
        width = np.median([v[1] for v in null + halving])
        clear = np.mean([v[2] >= 0.95 for v in halving])
        leans = np.mean([v[2] >= 0.8 or v[2] <= 0.2 for v in null])
        print(f"  {key[0]:>6}-{min(key[1], 999):<8}  {len(null) + len(halving):>6}  {sd:7.2f}  "
              f"{width:10.1f}  {clear:13.2f}  {leans:10.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="trials per rate, length and effect")
    args = parser.parse_args()
    rows = run(args.trials)
    summarise(rows, 0)
    summarise(rows, 1)


if __name__ == "__main__":
    main()
