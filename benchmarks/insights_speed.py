"""Time ``summarize`` on a 5-year diary (1,826 nights, 20 factors), without charts.

Goal: under 100 ms. Importable: ``run(repeats)`` returns the timings in milliseconds, so the lead's
comparison with database load time can call it.

The models are many small matrix products. A multi-threaded BLAS (OpenBLAS by default starts one
thread per core) spends more time waking threads than computing on such sizes, and on a busy
machine it can be ten times slower. Compare with ``OPENBLAS_NUM_THREADS=1`` in the environment.

    PYTHONPATH=src .venv/bin/python benchmarks/insights_speed.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from crampwise.insights.core.simulate import SimulatedDiary, simulate_diary, wide_factors
from crampwise.insights.core.summary import summarize

NIGHTS = 1826
FACTORS = 20
GOAL_MS = 100.0


def five_year_diary(seed: int = 2024) -> SimulatedDiary:
    return simulate_diary(seed, nights=NIGHTS, factors=wide_factors(FACTORS))


def run(
    repeats: int = 20, diary: SimulatedDiary | None = None, clock=time.perf_counter
) -> list[float]:
    """Milliseconds per ``summarize`` call, one per repeat (after one warm-up call).

    ``clock=time.process_time`` measures CPU time instead of wall time: on a machine shared with
    other jobs it shows the work itself, not the wait for a core.
    """
    d = diary or five_year_diary()
    args = (d.nights, d.episodes, d.medicines, d.factor_specs, d.today)
    summarize(*args)  # warm-up: imports, caches of the cosine basis
    timings = []
    for _ in range(repeats):
        start = clock()
        summarize(*args)
        timings.append(1000 * (clock() - start))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    d = five_year_diary()
    timings = run(args.repeats, d)
    cpu = run(args.repeats, d, clock=time.process_time)
    median = statistics.median(timings)
    print(
        f"summarize: {len(d.nights)} recorded nights of {NIGHTS}, {len(d.factor_specs)} factors, {len(d.episodes)} episodes"
    )
    print(
        f"median {median:.1f} ms, best {min(timings):.1f} ms, worst {max(timings):.1f} ms over {args.repeats} runs"
    )
    print(f"CPU time: median {statistics.median(cpu):.1f} ms, best {min(cpu):.1f} ms (all threads)")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"goal {GOAL_MS:.0f} ms: {'met' if median < GOAL_MS else 'NOT MET'} (OPENBLAS_NUM_THREADS={threads})"
    )


if __name__ == "__main__":
    main()
