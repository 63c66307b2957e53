"""The clinician's worklist with a clinic of 1,000 patients: seeding time, list pages and a report.

    PYTHONPATH=src .venv/bin/python benchmarks/clinician_worklist.py [--patients 1000] [--repeats 30]

1. ``crampwise demo --clinic N`` as a new process on a fresh data dir (start-up and migrations
   included): the seconds a person waits for a clinic to try (goal: 1,000 patients < 120 s).
2. In process, through Django's full request path (middleware, session, template), signed in
   as the clinician: the worklist's first page (sorted by need), sorted by cramps a week, a
   search, a later page, and one patient's report page (a year of nights; a different patient
   each time). p50 and p95 beside the goals (worklist < 300 ms, report < 300 ms).
3. What a write of a sharing patient adds: one refresh of their figures (``summaries.refresh``).

SQLite by default; PostgreSQL when CRAMPWISE_DATABASE_URL is set (use an empty database: the
clinic is refilled, not duplicated, on a second run). Writes benchmarks/results/clinician_worklist.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "clinician_worklist.json"
GOAL_SEED_S = 120.0
GOAL_LIST_MS = 300.0
GOAL_REPORT_MS = 300.0
CLINICIAN = "clinic"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_clinic(patients: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its helper processes)."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "crampwise.cli", "demo", "--clinic", str(patients)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    print(done.stdout.strip())
    return seconds, _children_cpu() - cpu0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_pages(repeats: int, patients: int) -> dict[str, dict[str, float]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from crampwise.clinician.models import Grant

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    clinician = get_user_model().objects.get(username=CLINICIAN)
    client.force_login(clinician)
    later = max(1, min(15, patients // 50))
    pages = {
        "worklist, first page (by need)": "/clinician/",
        "worklist, sorted by cramps a week": "/clinician/?sort=rate&dir=desc",
        "worklist, a search": "/clinician/?q=clinic-12",
        f"worklist, page {later}": f"/clinician/?page={later}",
    }
    grants = list(
        Grant.objects.filter(clinician=clinician, revoked_at__isnull=True)
        .order_by("patient__username")
        .values_list("pk", flat=True)[: repeats + 1]
    )
    results: dict[str, dict[str, float]] = {}
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm: templates, connections
        results[label] = _timed([url] * repeats, client)
    reports = [f"/clinician/patients/{pk}/report/" for pk in grants]
    assert client.get(reports[0]).status_code == 200
    results["one patient's report (a year)"] = _timed(reports[1:], client)
    return results


def _timed(urls: list[str], client) -> dict[str, float]:
    timings, cpu = [], []
    for url in urls:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
        assert response.status_code == 200, (url, response.status_code)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        # This process's own CPU: on a shared machine, the part of the wait that is ours.
        "cpu_p50_ms": statistics.median(cpu),
        "n": len(timings),
    }


def time_refresh(repeats: int) -> dict[str, float]:
    from django.contrib.auth import get_user_model

    from crampwise.clinician import summaries

    users = list(
        get_user_model()
        .objects.select_related("profile")
        .filter(username__startswith=f"{CLINICIAN}-")
        .order_by("pk")[:repeats]
    )
    timings = []
    for user in users:
        t0 = time.perf_counter()
        summaries.refresh(user)
        timings.append(1000 * (time.perf_counter() - t0))
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "n": len(timings),
    }


def worklist_sql() -> str:
    """The list's one query, for EXPLAIN: grants of a clinician joined with the summaries."""
    from django.contrib.auth import get_user_model

    from crampwise.clinician import worklist
    from crampwise.clinician.core.worklist import Cutoffs
    from crampwise.diary.services import last_night

    clinician = get_user_model().objects.get(username=CLINICIAN)
    cut = Cutoffs(last_night(clinician))
    query = worklist.ordered(worklist.worklist_queryset(clinician, cut), "need", "desc")
    return str(query.values("pk")[:50].query)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--data-dir", type=Path, default=None, help="Reuse this data dir.")
    parser.add_argument("--skip-seed", action="store_true", help="Time an existing clinic only.")
    parser.add_argument("--show-sql", action="store_true", help="Print the worklist's query.")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="crampwise-worklist-bench-"))
    os.environ["CRAMPWISE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/insights_speed.py
    database = "PostgreSQL" if os.environ.get("CRAMPWISE_DATABASE_URL") else "SQLite"
    print(f"{database}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

    seed_s = seed_cpu = None
    if not args.skip_seed:
        seed_s, seed_cpu = seed_clinic(args.patients)
        verdict = "met" if seed_s < GOAL_SEED_S * args.patients / 1000 else "NOT MET"
        print(
            f"crampwise demo --clinic {args.patients}: {seed_s:.1f} s "
            f"(goal for 1,000: {GOAL_SEED_S:.0f} s; {1000 * seed_s / args.patients:.0f} s at "
            f"this pace: {verdict}); {seed_cpu:.1f} CPU seconds in all its processes"
        )

    sys.path.insert(0, str(ROOT / "src"))
    from crampwise.cli import setup_django

    setup_django()
    pages = time_pages(args.repeats, args.patients)
    for label, t in pages.items():
        goal = GOAL_REPORT_MS if "report" in label else GOAL_LIST_MS
        verdict = "met" if t["p95_ms"] < goal else "NOT MET"
        print(
            f"{label}: p50 {t['p50_ms']:.0f} ms, p95 {t['p95_ms']:.0f} ms, CPU p50 "
            f"{t['cpu_p50_ms']:.0f} ms (goal p95 < {goal:.0f} ms: {verdict}; {t['n']} requests)"
        )
    refresh = time_refresh(args.repeats)
    print(
        f"refreshing one patient's figures after a write: p50 {refresh['p50_ms']:.0f} ms, "
        f"p95 {refresh['p95_ms']:.0f} ms (paid once per write of a patient who shares)"
    )
    if args.show_sql:
        print(worklist_sql())

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "database": database,
                "patients": args.patients,
                "seed_seconds": seed_s,
                "seed_cpu_seconds": seed_cpu,
                "pages": pages,
                "refresh": refresh,
                "cpu_count": os.cpu_count(),
                "load_average": os.getloadavg(),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
