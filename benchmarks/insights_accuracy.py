"""How well the factor analysis finds real links and avoids false ones, on simulated diaries.

Prints, for each scenario: how often each true effect is called (power), how often factors with no
effect are called worse/better (false alarms), and how often 95% intervals hold the truth.
Targets (issue): power >= 80%, false alarms <= 5%, coverage >= 90%.

    PYTHONPATH=src .venv/bin/python benchmarks/insights_accuracy.py [--diaries 1000] [--quick]
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

from crampwise.insights.core.medicines import medicines_section
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.simulate import MedicineChange, factor_accuracy, simulate_diary
from crampwise.insights.core.trend import recent_change

SCENARIOS: list[tuple[str, dict]] = [
    ("main: 1 year, 4/wk, k=1.5, drift 0.4/0.95, 10% missing", {}),
    ("milder nights: k=2", {"dispersion": 2.0}),
    ("near-Poisson nights: k=5", {"dispersion": 5.0}),
    ("more cramps: 7/wk", {"cramps_per_week": 7.0}),
    ("longer: 2 years", {"nights": 730}),
    ("shorter: 6 months", {"nights": 182}),
    ("no drift", {"drift_sd": 0.0}),
    ("stress: strong slow drift 0.6/0.97", {"drift_sd": 0.6, "drift_rho": 0.97}),
    ("stress: 25% missing", {"missing_fraction": 0.25}),
]


def medicine_flag_rate(ratio: float, diaries: int, **scenario: object) -> float:
    """Share of diaries where a start that multiplies the rate by ``ratio`` is flagged as a rise."""
    flagged = 0
    for seed in range(diaries):
        d = simulate_diary(
            seed,
            nights=120,
            factors=(),
            with_episodes=False,
            medicine=MedicineChange("M", 60, ratio),
            **scenario,  # type: ignore[arg-type]
        )
        [med] = medicines_section(NightTable.from_records(d.nights, d.today), d.medicines, d.today)
        flagged += med["rise_after_start"]
    return flagged / diaries


def trend_false_headline_rate(diaries: int) -> float:
    """Share of steady diaries (no drift, no factors) whose trend gets a "fewer/more" headline."""
    hits = 0
    for seed in range(diaries):
        d = simulate_diary(seed, nights=120, factors=(), drift_sd=0.0, with_episodes=False)
        table = NightTable.from_records(d.nights, d.today)
        hits += recent_change(table, d.today - timedelta(days=1))["verdict"] in ("fewer", "more")
    return hits / diaries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--diaries", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="main scenario only")
    args = parser.parse_args()
    scenarios = SCENARIOS[:1] if args.quick else SCENARIOS
    for label, settings in scenarios:
        start = time.perf_counter()
        acc = factor_accuracy(args.diaries, first_seed=10_000, **settings)
        seconds = time.perf_counter() - start
        print(f"\n== {label}  ({acc.diaries} diaries, {seconds:.0f} s)")
        print(f"{'factor':18s} {'true RR':>8s} {'called':>7s} {'covered':>8s}")
        for name, truth in acc.truth.items():
            print(f"{name:18s} {truth:8.2f} {acc.call_rate(name):7.1%} {acc.coverage(name):8.1%}")
        powers = {n: acc.call_rate(n) for n, rr in acc.truth.items() if rr != 1.0}
        print(
            "power "
            + ", ".join(f"{n} {p:.1%}" for n, p in powers.items())
            + f" | false alarms {acc.null_call_rate:.1%} | coverage {acc.overall_coverage:.1%}"
            + f" (lowest {min(acc.coverage(n) for n in acc.truth):.1%})"
        )
        ok = (
            all(p >= 0.8 for p in powers.values())
            and acc.null_call_rate <= 0.05
            and acc.overall_coverage >= 0.9
        )
        print("targets met" if ok else "TARGETS NOT MET")
    if args.quick:
        return
    n = max(100, args.diaries // 3)
    print(f"\n== medicines: 28 nights before/after a start at night 60 of 120 ({n} diaries each)")
    for label, settings in (
        ("4/wk, k=1.5, drift", {}),
        ("4/wk, k=1.5, no drift", {"drift_sd": 0.0}),
    ):
        rates = ", ".join(
            f"x{r:g}: {medicine_flag_rate(r, n, **settings):.0%}" for r in (1.0, 2.0, 3.0)
        )
        print(f"rise flagged ({label}; rate before the start is 4/wk x 2/(1+ratio)): {rates}")
    print(
        f"\n== trend: steady diaries with a 'fewer/more' headline: {trend_false_headline_rate(n):.1%} (target ~5%)"
    )


if __name__ == "__main__":
    main()
