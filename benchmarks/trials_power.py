"""Recommended trial lengths, and how fast the wizard gets its answer.

    PYTHONPATH=src .venv/bin/python benchmarks/trials_power.py [--write-table] [--json OUT]

Prints the weeks needed for a 4 in 5 chance of a clear answer (P(RR<1) >= 0.95 at the end) for
the default designs, and times each ``recommend_weeks`` call from a cold cache (the wizard's
target is 1-2 s). Then checks the batch method behind it against the full analysis on the same
simulated trials. ``--write-table`` first rebuilds src/crampwise/trials/core/power_table.json, the
precomputed chances the wizard reads for the default designs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from crampwise.trials.core import power
from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.batch_laplace import analyze_batch
from crampwise.trials.core.simulate import Scenario, simulate_trials

RATES = (1, 2, 3, 5, 7, 10)
RATIOS = (0.5, 0.7)
TABLE_RATES = (1, 1.5, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14)
TABLE_RATIOS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
TABLE_DESIGNS = ((7, 1), (14, 7))  # (period nights, washout nights) of the remedy kinds


def write_table() -> None:
    designs = {}
    for period_nights, washout in TABLE_DESIGNS:
        max_pairs = int(power.DEFAULT_MAX_WEEKS // (2 * period_nights / 7))
        chance = []
        for rate in TABLE_RATES:
            row = []
            for ratio in TABLE_RATIOS:
                started = time.perf_counter()
                row.append(
                    [
                        round(c, 4)
                        for c in power.chance_by_pairs(
                            rate, ratio, period_nights, washout, max_pairs
                        )
                    ]
                )
                print(f"  table {period_nights}/{washout} {rate}/wk RR {ratio}: {time.perf_counter() - started:.1f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
            chance.append(row)
        designs[f"{period_nights}/{washout}"] = {
            "period_nights": period_nights, "washout_nights": washout, "max_pairs": max_pairs,
            "rates": list(TABLE_RATES), "ratios": list(TABLE_RATIOS), "chance": chance,
        }  # fmt: skip
    settings = {
        "success": power.DEFAULT_SUCCESS, "overdispersion": power.DEFAULT_OVERDISPERSION,
        "missing": power.DEFAULT_MISSING, "trials": power.SIMULATED_TRIALS, "seed": power.SEED,
        "chance": "chance[rate][ratio][pairs - 1]",
    }  # fmt: skip
    power.TABLE_FILE.write_text(json.dumps({"settings": settings, "designs": designs}) + "\n")
    power._table.cache_clear()


def table() -> list[dict]:
    rows = []
    for kind in ("stretching", "supplement"):
        for ratio in RATIOS:
            for rate in RATES:
                power._power_curve.cache_clear()
                power._table.cache_clear()
                started = time.perf_counter()
                advice = power.recommend_weeks(rate, ratio, kind=kind)
                seconds = time.perf_counter() - started
                rows.append(
                    {"kind": kind, "rate": rate, "ratio": ratio, "weeks": advice.weeks,
                     "chance": advice.chance, "seconds": seconds}
                )  # fmt: skip
                print(
                    f"  {kind:10s} {rate:2d}/wk RR {ratio}: "
                    f"{advice.weeks if advice.weeks else '>52':>4} weeks  ({seconds:.2f} s)",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def validate(trials: int = 200) -> dict:
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.5, pairs=8, washout_nights=1, missing=0.1)
    simulated = simulate_trials(scenario, trials, np.random.default_rng(77))
    fast = analyze_batch(simulated).prob_below(0.0)
    full = np.array(
        [analyze(simulated.trial_nights(i)).rate_ratio.p_reduction for i in range(trials)]
    )
    return {
        "trials": trials,
        "power_fast": float(np.mean(fast >= 0.95)),
        "power_full": float(np.mean(full >= 0.95)),
        "decision_agreement": float(np.mean((fast >= 0.95) == (full >= 0.95))),
        "max_abs_diff_p_reduction": float(np.abs(fast - full).max()),
    }


def markdown(rows: list[dict]) -> str:
    lines = ["| Remedy kind | Hoped-for ratio | " + " | ".join(f"{r}/wk" for r in RATES) + " |"]
    lines.append("|---|---|" + "---|" * len(RATES))
    for kind in ("stretching", "supplement"):
        for ratio in RATIOS:
            cells = [
                f"{r['weeks']:g}" if r["weeks"] else ">52"
                for r in rows
                if r["kind"] == kind and r["ratio"] == ratio
            ]
            lines.append(f"| {kind} | {ratio} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--write-table", action="store_true")
    args = parser.parse_args()
    if args.write_table:
        write_table()
    rows = table()
    print(markdown(rows))
    seconds = [r["seconds"] for r in rows]
    print(
        f"\nwizard answer, cold cache: median {np.median(seconds):.2f} s, slowest {max(seconds):.2f} s"
    )
    check = validate()
    print("fast vs full:", json.dumps(check))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"rows": rows, "fast_vs_full": check}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
