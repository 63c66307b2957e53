"""Insights for a 5-year diary (1,826 nights, 20 factors) against loading those nights from the database.

Issue 3 asks for all insights, without charts, in under 100 ms, measured against the time to load
the same nights from the database. This script writes the simulated diary into a fresh SQLite
database (or the one in CRAMPWISE_DATABASE_URL), then times, in one run:
  - load: services.load_nights + load_episodes + load_medicines + factor_specs (the database read),
  - insights: crampwise.insights.summarize on those records.

    .venv/bin/python benchmarks/insights_vs_database.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("CRAMPWISE_DATA_DIR", tempfile.mkdtemp(prefix="cw-insights-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from insights_speed import five_year_diary

    from crampwise.diary import services
    from crampwise.diary.models import CustomFactor
    from crampwise.insights import summarize

    call_command("migrate", interactive=False, verbosity=0)
    diary = five_year_diary()
    user, _ = get_user_model().objects.get_or_create(username="bench-insights")
    builtin = {
        "stretched",
        "fluid_glasses",
        "alcohol_units",
        "exercise_minutes",
        "hours_on_feet",
        "supportive_shoes",
    }
    custom = [f for f in diary.factor_specs if f.name not in builtin]
    CustomFactor.objects.filter(user=user).delete()
    services.import_records(user, diary.nights, custom)

    def load():
        return (
            services.load_nights(user),
            services.load_episodes(user),
            services.load_medicines(user),
            services.factor_specs(user),
        )

    nights, episodes, medicines, specs = load()
    today = max(n.night for n in nights)
    summarize(nights, episodes, medicines, specs, today)  # warm-up
    load_ms, insight_ms = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        nights, episodes, medicines, specs = load()
        t1 = time.perf_counter()
        summarize(nights, episodes, medicines, specs, today)
        t2 = time.perf_counter()
        load_ms.append((t1 - t0) * 1000)
        insight_ms.append((t2 - t1) * 1000)
    load_median, insight_median = statistics.median(load_ms), statistics.median(insight_ms)
    print(
        f"5-year diary: {len(nights)} recorded nights, {len(specs)} factors, {args.repeats} repeats"
    )
    print(f"  load from database  median {load_median:7.1f} ms")
    print(f"  insights (no charts) median {insight_median:7.1f} ms   (goal < 100 ms)")
    print(f"  insights / database load = {insight_median / load_median:.2f}")


if __name__ == "__main__":
    main()
