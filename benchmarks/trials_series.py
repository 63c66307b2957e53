"""Trial series: how many people a pooled answer needs, and how fast pooling is.

    PYTHONPATH=src .venv/bin/python benchmarks/trials_series.py [--series 40] [--json OUT]

The magnesium question. Roguin Maor 2017 (JAMA Intern Med 177:617; 94 people, magnesium oxide
against placebo for 4 weeks) found a rate ratio of about 0.88 with a 95% interval of 0.63 to 1.23:
a width of log(1.23 / 0.63) = 0.67 on the log scale. A series of 12-week personal trials (6 pairs
of 1-week periods, k = 1.5, period shifts SD 0.25) of people whose typical ratio is 0.88 with a
spread tau = 0.2 between them, at 3.5 cramps a week (people's rates log-normal with SD 0.4): how
many people give an interval as narrow as the trial's (the median width over simulated series),
and how wide is it with 20 people?

Speed (budgets): ``pool_trials`` on 50 people of 12 weeks, in one process, < 1 s (median of 5,
after one warm-up); ``crampwise trial pool`` on their 50 CSV files as a fresh process, start-up
included, < 3 s. Calibration is in trials_series_calibration.py, the PyMC check in
trials_series_pymc.py.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from crampwise.trials.core.pooling import PatientTrialData, pool_trials
from crampwise.trials.core.series_simulate import SeriesScenario, simulate_series
from crampwise.trials.core.simulate import Scenario

SRC = Path(__file__).resolve().parents[1] / "src"
RCT_WIDTH = math.log(1.23 / 0.63)
PROTOCOL = Scenario(cramps_per_week=3.5, rate_ratio=1.0, pairs=6, overdispersion=1.5)
MAGNESIUM = {"rate_ratio": 0.88, "tau": 0.2}
SIZES = (4, 6, 8, 9, 10, 12, 15, 20, 30)
POOL_BUDGET_S = 1.0
CLI_BUDGET_S = 3.0


def widths(patients: int, series: int, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    scenario = SeriesScenario(patients, MAGNESIUM["rate_ratio"], MAGNESIUM["tau"], PROTOCOL)
    out = []
    for _ in range(series):
        low, high = pool_trials(simulate_series(scenario, rng).trials).rate_ratio_ci95
        out.append(math.log(high / low))
    return out


def write_csv(folder: Path, trials: tuple[PatientTrialData, ...]) -> list[Path]:
    paths = []
    for i, person in enumerate(trials):
        lines = ["night,arm,cramps,period"]
        for t, night in enumerate(person.nights):
            day = date(2025, 1, 1) + timedelta(days=t)
            arm = "magnesium" if night.treated else "placebo"
            cell = "" if night.cramps is None else str(night.cramps)
            lines.append(f"{day},{arm},{cell},{night.period}")
        path = folder / f"person_{i:02d}.csv"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=40, help="simulated series per size")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--timing-only", action="store_true", help="skip the widths table")
    args = parser.parse_args()

    print(
        f"magnesium question: typical RR {MAGNESIUM['rate_ratio']}, tau {MAGNESIUM['tau']}, "
        f"3.5 cramps a week, 12-week trials; the 94-person RCT's interval is "
        f"{RCT_WIDTH:.2f} wide on the log scale"
    )
    table = []
    needed = None
    for i, size in enumerate(() if args.timing_only else SIZES):
        w = widths(size, args.series, seed=10 + i)
        row = {"patients": size, "median_width": statistics.median(w), "series": args.series}
        table.append(row)
        as_narrow = row["median_width"] <= RCT_WIDTH
        if as_narrow and needed is None:
            needed = size
        print(
            f"  {size:2d} people: median width {row['median_width']:.2f} "
            f"({'as narrow as' if as_narrow else 'wider than'} the RCT; {args.series} series)",
            flush=True,
        )
    twenty = next((r for r in table if r["patients"] == 20), None)
    if twenty is not None:
        print(
            f"people needed for the RCT's precision: "
            f"{needed if needed else f'more than {SIZES[-1]}'}; "
            f"with 20 people the interval is {twenty['median_width']:.2f} wide "
            f"(a ratio interval about {math.exp(-twenty['median_width'] / 2):.2f}x to "
            f"{math.exp(twenty['median_width'] / 2):.2f}x the estimate)"
        )

    fifty = simulate_series(
        SeriesScenario(50, MAGNESIUM["rate_ratio"], MAGNESIUM["tau"], PROTOCOL),
        np.random.default_rng(50),
    )
    pool_trials(fifty.trials)
    times, cpu = [], []
    for _ in range(5):
        started, cpu_started = time.perf_counter(), time.process_time()
        pool_trials(fifty.trials)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    pool_s = statistics.median(times)
    # On a shared machine the wall time mostly measures the other processes: the CPU time and the
    # load average say how much.
    print(
        f"pool_trials, 50 people of 12 weeks: {pool_s:.2f} s median of 5 "
        f"(best {min(times):.2f} s; CPU {statistics.median(cpu):.2f} s; budget < "
        f"{POOL_BUDGET_S:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_csv(Path(tmp), fifty.trials)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        }
        command = [sys.executable, "-m", "crampwise.cli", "trial", "pool", *map(str, paths)]
        command += ["--treatment", "magnesium", "--json"]
        started = time.perf_counter()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        cli_s = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    body = json.loads(done.stdout)
    print(
        f"crampwise trial pool, 50 files, fresh process: {cli_s:.2f} s (CPU {cli_cpu:.2f} s; "
        f"budget < {CLI_BUDGET_S:.0f} s), {body['patients']} pooled, exit code {done.returncode}"
    )
    ok = pool_s < POOL_BUDGET_S and cli_s < CLI_BUDGET_S and done.returncode == 0
    ok &= body["patients"] == 50
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "rct_width": RCT_WIDTH,
                    "widths": table,
                    "patients_needed": needed,
                    "pool_50_s": pool_s,
                    "pool_50_cpu_s": statistics.median(cpu),
                    "cli_50_s": cli_s,
                    "cli_50_cpu_s": cli_cpu,
                    "load_average": os.getloadavg()[0],
                    "ok": bool(ok),
                },
                out,
                indent=2,
            )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
