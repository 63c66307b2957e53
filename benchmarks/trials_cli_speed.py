"""`crampwise trial analyze` on 100 CSV files in one call, start-up included (target < 10 s).

    PYTHONPATH=src .venv/bin/python benchmarks/trials_cli_speed.py [--files 100] [--weeks 24]

Writes seeded 24-week trial files to a temporary folder, runs the command as a fresh process
(``python -m crampwise.trials.cli analyze ... --json``, as the main CLI will once the group is
registered), and checks that every file came back analysed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from crampwise.trials.core.simulate import Scenario, simulate_trials

SRC = Path(__file__).resolve().parents[1] / "src"


def write_files(folder: Path, files: int, weeks: int) -> list[Path]:
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.7, pairs=weeks // 2, missing=0.1)
    simulated = simulate_trials(scenario, files, np.random.default_rng(100))
    paths = []
    for i in range(files):
        lines = ["night,arm,cramps,period"]
        for t in range(simulated.counts.shape[1]):
            count = simulated.counts[i, t]
            arm = "treatment" if simulated.treated[i, t] else "control"
            night = date(2025, 1, 1) + timedelta(days=t)
            lines.append(f"{night},{arm},{'' if count < 0 else count},{simulated.period[t]}")
        path = folder / f"trial_{i:03d}.csv"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), args.files, args.weeks)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        }
        command = [
            sys.executable,
            "-m",
            "crampwise.trials.cli",
            "analyze",
            *map(str, paths),
            "--json",
        ]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - started
        startup_started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "crampwise.trials.cli", "--help"], capture_output=True, env=env
        )
        startup = time.perf_counter() - startup_started
    body = json.loads(done.stdout)
    analysed = sum("rate_ratio" in r for r in body)
    print(
        f"{args.files} files of {args.weeks} weeks: {elapsed:.2f} s in one call "
        f"(start-up alone {startup:.2f} s), {analysed} analysed, exit code {done.returncode}"
    )
    ok = done.returncode == 0 and analysed == args.files and elapsed < 10
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
