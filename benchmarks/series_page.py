"""The series page for 50 patients of 12 weeks each (goal: p95 < 300 ms), and its exports.

    .venv/bin/python benchmarks/series_page.py [--patients 50] [--repeats 30]
    CRAMPWISE_DATABASE_URL=postgres://... .venv/bin/python benchmarks/series_page.py

A fresh database (SQLite in a temporary data dir unless CRAMPWISE_DATABASE_URL is set) with one
clinician's protocol (magnesium, 3 pairs of 14-night periods: 12 weeks) and N patients who joined
12 weeks ago, each with every night answered (a few missing) and the morning adherence answers.
Timed through Django's test client, whole request and response:

- "first view": the cache emptied before each request, so every patient's analysis and the
  pooling run (what the owner waits for after new nights came in);
- "later views": nothing changed since the last view, so the pooled result comes from the cache
  (the page still reads the enrolments, checks what changed and writes the audit rows);
- the CSV of all nights, and the PDF report.

Writes benchmarks/results/series_page.json. With SERIES_PROFILE=warm, cold, one or csv (and
SERIES_SORT=tottime, say) it prints a cProfile of that case instead, to find what grew.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("CRAMPWISE_DATA_DIR", tempfile.mkdtemp(prefix="cw-series-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
RESULTS = HERE / "results" / "series_page.json"
GOAL_MS = 300.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from tests.series.builders import DESIGN, fill_nights

    from crampwise.series import services
    from crampwise.trials.models import Trial

    call_command("migrate", verbosity=0)
    # The accounts are not what is measured: a fast hasher keeps setting up 50 of them quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = get_user_model()
    lead = users.objects.create_user("bench_lead", password="bench-password-1")
    lead.profile.is_clinician = True
    lead.profile.save()
    protocol = services.create_protocol(lead, **DESIGN)
    setup = time.perf_counter()
    for i in range(args.patients):
        patient = users.objects.create_user(f"bench_patient_{i}", password="bench-password-1")
        patient.profile.time_zone = "America/Chicago"
        patient.profile.save()
        enrolment = services.enrol(patient, protocol)
        trial = enrolment.trial
        Trial.objects.filter(pk=trial.pk).update(start=trial.start - timedelta(weeks=12))
        # Between no effect and a halving, so people differ (tau > 0); one night in 20 missing.
        fill_nights(enrolment, 1.0, 0.5 + 0.5 * (i % 5) / 4, seed=i, missing=0.05)
    print(f"{args.patients} patients of 12 weeks set up in {time.perf_counter() - setup:.1f} s")

    client = Client(HTTP_HOST="localhost")
    client.force_login(lead)
    page = f"/series/{protocol.pk}/"

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def first_view() -> None:
        cache.clear()
        get(page)

    from django.utils import timezone

    from crampwise.diary.models import Night

    answers = list(
        Night.objects.order_by("user_id", "-night").distinct().values_list("pk", flat=True)
    )
    turn = iter(range(10**6))

    def after_one_answer() -> None:
        # A patient's morning answer changed: only their row is analysed again, then the pooling.
        i = next(turn)
        Night.objects.filter(pk=answers[(i * 97) % len(answers)]).update(
            reported_cramps=i % 3, updated_at=timezone.now()
        )
        get(page)

    get(page)
    if os.environ.get("SERIES_PROFILE"):
        import cProfile
        import pstats

        target = {
            "warm": lambda: get(page),
            "cold": first_view,
            "one": after_one_answer,
            "csv": lambda: get(f"/series/{protocol.pk}/nights.csv"),
        }[os.environ["SERIES_PROFILE"]]
        with cProfile.Profile() as profile:
            for _ in range(5):
                target()
        pstats.Stats(profile).sort_stats(os.environ.get("SERIES_SORT", "cumulative")).print_stats(
            40
        )
        return
    results = {}
    for name, fn, repeats in (
        ("first view (nothing cached)", first_view, max(5, args.repeats // 3)),
        ("after one patient's new answer", after_one_answer, args.repeats),
        ("later views (pooled result cached)", lambda: get(page), args.repeats),
        ("CSV of all nights", lambda: get(f"/series/{protocol.pk}/nights.csv"), 5),
        ("PDF report", lambda: get(f"/series/{protocol.pk}/report.pdf"), 5),
    ):
        times = timed(fn, repeats)
        results[name] = {"p50_ms": statistics.median(times), "p95_ms": percentile(times, 95),
                         "requests": repeats}  # fmt: skip
    database = (
        "PostgreSQL" if "postgres" in os.environ.get("CRAMPWISE_DATABASE_URL", "") else "SQLite"
    )
    print(
        f"Series page, {args.patients} patients x 12 weeks, {database} (goal p95 < {GOAL_MS:.0f} ms)"
    )
    for name, r in results.items():
        print(f"  {name:36s} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(
        {"patients": args.patients, "database": database, "goal_p95_ms": GOAL_MS, **results},
        indent=1,
    ) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
