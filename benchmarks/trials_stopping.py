"""Operating characteristics of the early-stopping rule, for the table in docs/trials.md.

    PYTHONPATH=src .venv/bin/python benchmarks/trials_stopping.py [--trials 4000] [--method fast|full]
        [--block-periods 2|4|6] [--write-docs] [--json OUT]

For each scenario (the app's default designs, 10% of nights unrecorded, k = 1.5, period shifts SD
0.25) it simulates trials once and applies every efficacy bar e to the same looks: the share that
stopped for efficacy (at RR = 1 these are false positives), for futility, and the expected length.
``--method full`` uses the app's own analysis at every look; ``fast`` the batch approximation (also
checked here against ``full`` on the same trials). ``--write-docs`` replaces the table between the
markers in docs/trials.md (pairs); ``--block-periods 4`` gives the same table for blocks of four.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from crampwise.trials.core.simulate import Scenario, simulate_trials
from crampwise.trials.core.stopping import StoppingRule, apply_rule, look_probabilities

DOCS = Path(__file__).resolve().parents[1] / "docs" / "trials.md"
START, END = "<!-- stopping-table:start -->", "<!-- stopping-table:end -->"
BARS = (0.95, 0.975, 0.99)
DESIGNS = [
    # label, cramps a week, period nights, washout nights, pairs (24 weeks)
    ("7/wk, 1-week periods", 7, 7, 1, 12),
    ("3/wk, 1-week periods", 3, 7, 1, 12),
    ("7/wk, 2-week periods (supplement)", 7, 14, 7, 6),
]
RATIOS = (1.0, 0.7, 0.5)


def run(trials: int, method: str, seed: int, block_periods: int = 2) -> list[dict]:
    rows = []
    probe = StoppingRule()
    for label, rate, period_nights, washout, pairs in DESIGNS:
        for ratio in RATIOS:
            scenario = Scenario(
                cramps_per_week=rate, rate_ratio=ratio, pairs=pairs, period_nights=period_nights,
                washout_nights=washout, overdispersion=1.5, missing=0.1,
                block_periods=block_periods,
            )  # fmt: skip
            started = time.perf_counter()
            simulated = simulate_trials(scenario, trials, np.random.default_rng(seed))
            p_red, p_worth = look_probabilities(simulated, scenario, probe, method)
            for bar in BARS:
                oc = apply_rule(StoppingRule(efficacy=bar), scenario, p_red, p_worth)
                rows.append({"design": label, **oc.to_dict()})
            print(
                f"  {label}, RR {ratio}: {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return rows


def check_fast_against_full(trials: int, seed: int) -> dict:
    """Per look, how far the batch method's probabilities are from the full analysis."""
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.7, pairs=12, washout_nights=1, missing=0.1)
    simulated = simulate_trials(scenario, trials, np.random.default_rng(seed))
    rule = StoppingRule()
    fast = look_probabilities(simulated, scenario, rule, "fast")
    full = look_probabilities(simulated, scenario, rule, "full")
    looks = ~np.isnan(full[0])
    agree = [
        apply_rule(StoppingRule(efficacy=bar), scenario, *fast).stop_efficacy
        - apply_rule(StoppingRule(efficacy=bar), scenario, *full).stop_efficacy
        for bar in BARS
    ]
    return {
        "trials": trials,
        "max_abs_diff_p_reduction": float(np.abs(fast[0][looks] - full[0][looks]).max()),
        "max_abs_diff_p_worthwhile": float(np.abs(fast[1][looks] - full[1][looks]).max()),
        "stop_efficacy_diff_by_bar": dict(zip(map(str, BARS), agree, strict=True)),
    }


def markdown(rows: list[dict], trials: int, method: str) -> str:
    lines = [
        f"Simulated with `benchmarks/trials_stopping.py --trials {trials} --method {method}` "
        "(k = 1.5, period shifts SD 0.25, 10% of nights unrecorded, the default washout, at most "
        "24 weeks; looks after every pair from the second).",
        "",
        "| Design | True RR | e | Stop: works | Stop: futile | Ran to the end | Expected weeks |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        works = f"{100 * r['stop_efficacy']:.1f}%"
        if r["rate_ratio"] == 1.0:
            works = f"**{works}** (false positive)"
        lines.append(
            f"| {r['design']} | {r['rate_ratio']} | {r['efficacy_threshold']} | {works} | "
            f"{100 * r['stop_futility']:.1f}% | {100 * r['ran_to_end']:.1f}% | {r['expected_weeks']:.1f} |"
        )
    return "\n".join(lines)


def write_docs(table: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"markers {START} ... {END} not found in {DOCS}")
    DOCS.write_text(pattern.sub(lambda _: f"{START}\n{table}\n{END}", text), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=4000)
    parser.add_argument("--method", choices=["fast", "full"], default="fast")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument(
        "--check-trials", type=int, default=100, help="trials for the fast/full check"
    )
    parser.add_argument(
        "--block-periods", type=int, choices=[2, 4, 6], default=2,
        help="the design: 2 is pairs (the table in the docs), 4 or 6 blocks of that many periods",
    )  # fmt: skip
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()

    if args.write_docs and args.block_periods != 2:
        parser.error("the table in docs/trials.md is for pairs: leave out --block-periods")
    rows = run(args.trials, args.method, args.seed, args.block_periods)
    if args.block_periods != 2:
        print(f"Design: blocks of {args.block_periods} periods (looks at block ends only)")
    table = markdown(rows, args.trials, args.method)
    print(table)
    check = check_fast_against_full(args.check_trials, args.seed + 1) if args.check_trials else None
    if check:
        print("\nfast vs full:", json.dumps(check))
    if args.write_docs:
        write_docs(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "fast_vs_full": check}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
