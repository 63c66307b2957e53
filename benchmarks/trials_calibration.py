"""Calibration of the trial analysis on many simulated trials (the fuller version of the tests).

    PYTHONPATH=src .venv/bin/python benchmarks/trials_calibration.py [--trials 2000] [--json OUT]

Trials are harsher than the model: 2-7 cramps a week, k from 0.7 (strong overdispersion) to 4
(mild), slow night-to-night drift (latent AR(1), rho 0.9, SD 0.3) in place of the model's period
shifts, 10% of nights unrecorded, 8-24 weeks. Targets: 95% intervals cover the true ratio in at
least 92% of trials; with no effect P(RR<1) > 0.95 in about 5% or fewer; a halving at 6 a week over
20 weeks (k 1.5) found (P(RR<1) > 0.95) in at least 70%. Also broken down by rate, k and length.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict

import numpy as np

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.simulate import Scenario, simulate_trials

KS = (0.7, 1.5, 4.0)


def draw(rng: np.random.Generator, ratio: float) -> Scenario:
    return Scenario(
        cramps_per_week=float(rng.uniform(2, 7)), rate_ratio=ratio, pairs=int(rng.integers(4, 13)),
        overdispersion=float(rng.choice(KS)), period_sd=0.0, drift_sd=0.3, drift_rho=0.9, missing=0.1,
    )  # fmt: skip


def mixed(trials: int, seed: int, ratios: list[float]) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(trials):
        ratio = float(rng.choice(ratios))
        scenario = draw(rng, ratio)
        rr = analyze(simulate_trials(scenario, 1, rng).trial_nights(0)).rate_ratio
        rows.append(
            {
                "ratio": ratio,
                "rate": scenario.cramps_per_week,
                "k": scenario.overdispersion,
                "weeks": scenario.weeks,
                "covered": rr.ci95[0] <= ratio <= rr.ci95[1],
                "yes": rr.p_reduction > 0.95,
            }
        )
    return rows


def breakdown(rows: list[dict], field: str, bins) -> dict[str, float]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        groups[bins(r)].append(r[field])
    return {key: round(float(np.mean(v)), 4) for key, v in sorted(groups.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--json")
    args = parser.parse_args()
    started = time.perf_counter()

    cover = mixed(args.trials, 1, [0.5, 0.7, 1.0])
    null = mixed(args.trials, 2, [1.0])
    halving = Scenario(
        6, 0.5, pairs=10, overdispersion=1.5, period_sd=0.0, drift_sd=0.3, missing=0.1
    )
    simulated = simulate_trials(halving, args.trials // 2, np.random.default_rng(3))
    power = float(
        np.mean(
            [
                analyze(simulated.trial_nights(i)).rate_ratio.p_reduction > 0.95
                for i in range(simulated.n_trials)
            ]
        )
    )

    rate_bin = lambda r: f"{int(r['rate'])}-{int(r['rate']) + 1}/wk"  # noqa: E731
    result = {
        "coverage": float(np.mean([r["covered"] for r in cover])),
        "coverage_by_rate": breakdown(cover, "covered", rate_bin),
        "coverage_by_k": breakdown(cover, "covered", lambda r: f"k={r['k']}"),
        "coverage_by_weeks": breakdown(cover, "covered", lambda r: f"{r['weeks']:.0f} wk"),
        "false_positive": float(np.mean([r["yes"] for r in null])),
        "false_positive_by_k": breakdown(null, "yes", lambda r: f"k={r['k']}"),
        "false_positive_by_weeks": breakdown(null, "yes", lambda r: f"{r['weeks']:.0f} wk"),
        "power_halving_6_per_week_20_weeks": power,
        "trials": args.trials,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, indent=2))
    ok = result["coverage"] >= 0.92 and result["false_positive"] <= 0.055 and power >= 0.70
    print("PASS" if ok else "FAIL")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
