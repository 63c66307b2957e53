"""Calibration of the pooled answer by simulation: coverage, false 'it works', shrinkage.

    PYTHONPATH=src .venv/bin/python benchmarks/trials_series_calibration.py [--series 200] [--json OUT]

Simulated series of 12-week trials (6 pairs of 1-week periods, k = 1.5, period shifts SD 0.25,
people's cramp rates log-normal around 3.5 a week with SD 0.4) with a known population:

- coverage: how often the 95% interval of the typical person's rate ratio holds the true one
  (budget: at least 90%), for 10 and 30 people, tau 0.2 and 0.5;
- nulls: the typical person's true ratio is 1 (tau 0.2 and 0): how often the words would say
  "Clear: it works" (P(ratio <= 0.8) >= 0.9; budget at most 5%) and how often "Clear that it
  helps" (P(ratio < 1) >= 0.975);
- shrinkage: with tau small (0.05), how much closer to the truth each person's shrunk estimate is
  than their own trial alone (mean squared error of log ratio), and the share moved towards the
  pooled estimate.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np

from crampwise.trials.core.pooling import pool_trials
from crampwise.trials.core.series_simulate import SeriesScenario, simulate_series
from crampwise.trials.core.simulate import Scenario
from crampwise.trials.core.wording import works

PROTOCOL = Scenario(cramps_per_week=3.5, rate_ratio=1.0, pairs=6, overdispersion=1.5)
COVERAGE_BUDGET = 0.90
FALSE_WORKS_BUDGET = 0.05


def coverage(patients: int, rate_ratio: float, tau: float, series: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    hits = 0
    widths = []
    for _ in range(series):
        simulated = simulate_series(SeriesScenario(patients, rate_ratio, tau, PROTOCOL), rng)
        result = pool_trials(simulated.trials)
        low, high = result.rate_ratio_ci95
        hits += low <= rate_ratio <= high
        widths.append(math.log(high / low))
    return {
        "patients": patients,
        "rate_ratio": rate_ratio,
        "tau": tau,
        "series": series,
        "coverage": hits / series,
        "mean_log_width": float(np.mean(widths)),
    }


def nulls(patients: int, tau: float, series: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    false_works = 0
    clear_helps = 0
    for _ in range(series):
        simulated = simulate_series(SeriesScenario(patients, 1.0, tau, PROTOCOL), rng)
        result = pool_trials(simulated.trials)
        false_works += result.enough_data and works(result.p_meaningful)
        clear_helps += result.enough_data and result.p_reduction >= 0.975
    return {
        "patients": patients,
        "tau": tau,
        "series": series,
        "false_works": false_works / series,
        "clear_helps": clear_helps / series,
    }


def shrinkage(patients: int, series: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    own_error, shrunk_error, towards = [], [], []
    for _ in range(series):
        simulated = simulate_series(SeriesScenario(patients, 0.8, 0.05, PROTOCOL), rng)
        result = pool_trials(simulated.trials)
        pooled = math.log(result.rate_ratio_median)
        for person, truth in zip(result.individuals, simulated.true_log_ratios, strict=True):
            own = math.log(person.unpooled_median)
            shrunk = math.log(person.rate_ratio_median)
            own_error.append((own - truth) ** 2)
            shrunk_error.append((shrunk - truth) ** 2)
            towards.append(abs(shrunk - pooled) < abs(own - pooled))
    return {
        "patients": patients,
        "tau": 0.05,
        "series": series,
        "rmse_own": math.sqrt(float(np.mean(own_error))),
        "rmse_shrunk": math.sqrt(float(np.mean(shrunk_error))),
        "share_moved_towards_pooled": float(np.mean(towards)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=200, help="simulated series per row")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    n = args.series
    started = time.perf_counter()
    ok = True
    rows: dict[str, list[dict]] = {"coverage": [], "nulls": [], "shrinkage": []}
    print(f"coverage of the typical person's 95% interval (budget >= {COVERAGE_BUDGET:.0%}):")
    for i, (patients, tau) in enumerate(((10, 0.2), (30, 0.2), (10, 0.5), (30, 0.5))):
        row = coverage(patients, 0.88, tau, n, seed=100 + i)
        rows["coverage"].append(row)
        ok &= row["coverage"] >= COVERAGE_BUDGET
        print(
            f"  {patients:2d} people, RR 0.88, tau {tau}: {row['coverage']:.1%} "
            f"(mean width on the log scale {row['mean_log_width']:.2f}, {n} series)",
            flush=True,
        )
    print(f"null series, true typical RR 1 (budget: false 'it works' <= {FALSE_WORKS_BUDGET:.0%}):")
    for i, (patients, tau) in enumerate(((10, 0.2), (30, 0.2), (30, 0.0))):
        row = nulls(patients, tau, n, seed=200 + i)
        rows["nulls"].append(row)
        ok &= row["false_works"] <= FALSE_WORKS_BUDGET
        print(
            f"  {patients:2d} people, tau {tau}: 'it works' {row['false_works']:.1%}, "
            f"'clear that it helps' {row['clear_helps']:.1%} ({n} series)",
            flush=True,
        )
    row = shrinkage(20, max(n // 4, 10), seed=300)
    rows["shrinkage"].append(row)
    ok &= row["rmse_shrunk"] < row["rmse_own"] and row["share_moved_towards_pooled"] > 0.9
    print(
        f"shrinkage, 20 people, tau 0.05: error of each person's log ratio {row['rmse_own']:.3f} "
        f"on their own, {row['rmse_shrunk']:.3f} with the series; "
        f"{row['share_moved_towards_pooled']:.0%} moved towards the pooled estimate"
    )
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({**rows, "ok": bool(ok)}, out, indent=2)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
