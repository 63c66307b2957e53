"""The doctor's report: one 1-year report (goal < 300 ms) and 1,000 patients from the CLI (goal < 5 min).

    PYTHONPATH=src .venv/bin/python benchmarks/report_speed.py [--repeats 20] [--patients 1000]

Part 1, in process: a year of demo diary through everything a report view does after the
database (``insights.summarize``, the medicine check, the report content, the chart, the typst
PDF), then the same through ``loading.load_report`` with the database read included.
Part 2, end to end: a fresh data dir with N patients, each with a year of nights, episodes and
medicines, then ``crampwise report --all-patients --out-dir DIR`` as a new process, start-up and
migrations check included. Writes benchmarks/results/report_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "report_speed.json"
GOAL_ONE_MS = 300.0
GOAL_BATCH_S = 300.0
ZONE = ZoneInfo("Europe/London")


def demo_records(seed: int, nights: int, end: date):
    from crampwise.diary.core.demo import demo_medicines, generate
    from crampwise.diary.core.records import EpisodeRecord

    items = list(generate(nights, end, seed, ZONE))
    episodes = [
        EpisodeRecord(
            night=i.record.night,
            started_at=e["started_at"],
            local_hour=e["started_at"].astimezone(ZONE).hour,
            duration_seconds=int((e["ended_at"] - e["started_at"]).total_seconds()),
            muscle=e["muscle"],
            side=e["side"],
            pain=e["pain"],
            reliefs=tuple(e["reliefs"]),
        )
        for i in items
        for e in i.episodes
    ]
    return (
        items,
        [i.record for i in items],
        episodes,
        demo_medicines(end - timedelta(days=nights - 1)),
    )


def time_pure(repeats: int) -> dict:
    """A 1-year range: summarize + medicine check + content + chart + PDF, no database."""
    from crampwise.clinician.core.feature_inputs import medicine_changes, medicine_links
    from crampwise.clinician.core.report_content import build_report
    from crampwise.clinician.core.report_pdf import render_pdf
    from crampwise.diary.core.factors import BUILTIN_FACTORS
    from crampwise.insights import summarize

    end = date(2026, 11, 20)
    start = end - timedelta(days=364)
    # A different diary every round: typst memoises, and the same input twice would time its cache.
    diaries = [demo_records(seed, 365, end)[1:] for seed in range(1, repeats + 2)]
    content, pdf, total = [], [], []
    for i in range(repeats + 1):
        nights, episodes, medicines = diaries[i]
        t0 = time.perf_counter()
        insights = summarize(nights, episodes, medicines, BUILTIN_FACTORS, end)
        report = build_report(
            nights,
            episodes,
            medicines,
            start=start,
            end=end,
            today=end,
            insights=insights,
            medicine_links=medicine_links([m.name for m in medicines]),
            medicine_changes=medicine_changes(nights, medicines, end),
            assessment=None,
            trials=None,
        )
        t1 = time.perf_counter()
        render_pdf(report, "a4")
        t2 = time.perf_counter()
        if i:  # the first round pays for imports, the evidence base and the typst fonts
            content.append(1000 * (t1 - t0))
            pdf.append(1000 * (t2 - t1))
            total.append(1000 * (t2 - t0))
    return {
        "content_ms": statistics.median(content),
        "pdf_ms": statistics.median(pdf),
        "total_ms": statistics.median(total),
        "worst_ms": max(total),
        "nights": 365,
    }


def fill_database(patients: int, nights: int) -> int:
    """N patients with a year each (50 distinct diaries, cycled), written in bulk."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from crampwise.diary.models import Episode, Medicine, Night

    user_model = get_user_model()
    end = date.today() - timedelta(days=1)
    diaries = [demo_records(seed, nights, end) for seed in range(1, 51)]
    now = timezone.now()
    for p in range(patients):
        items, _records, _eps, medicines = diaries[p % len(diaries)]
        with transaction.atomic():
            user = user_model.objects.create(username=f"patient{p:04d}")
            user.profile.time_zone = "Europe/London"
            user.profile.birth_year = 1950
            user.profile.save()
            Night.objects.bulk_create(
                [
                    Night(
                        user=user,
                        night=i.record.night,
                        reported_cramps=i.record.cramps,
                        episode_count=len(i.episodes),
                        worst_pain=i.record.worst_pain,
                        minutes_awake=i.record.minutes_awake,
                        sleep_quality=i.record.sleep_quality,
                        soreness=i.record.soreness,
                        factors={k: v for k, v in i.record.factors.items() if v is not None},
                        medicines_taken=list(i.record.medicines_taken),
                        checked_in_at=now,
                    )
                    for i in items
                ],
                batch_size=500,
            )
            Episode.objects.bulk_create(
                [
                    Episode(
                        user=user,
                        night=i.record.night,
                        started_at=e["started_at"],
                        ended_at=e["ended_at"],
                        muscle=e["muscle"],
                        side=e["side"],
                        pain=e["pain"],
                        reliefs=list(e["reliefs"]),
                    )
                    for i in items
                    for e in i.episodes
                ],
                batch_size=500,
            )
            Medicine.objects.bulk_create(
                [
                    Medicine(
                        user=user,
                        name=m.name,
                        dose=m.dose,
                        started=m.started,
                        stopped=m.stopped,
                        purpose=m.purpose,
                    )
                    for m in medicines
                ]
            )
    return patients


def time_load_report(repeats: int) -> float:
    """Median ms of ``load_report`` + PDF over a 1-year range, database read included."""
    from django.contrib.auth import get_user_model

    from crampwise.clinician.core.report_pdf import render_pdf
    from crampwise.clinician.loading import last_night, load_report

    users = list(
        get_user_model()
        .objects.filter(username__startswith="patient")
        .order_by("username")[: repeats + 1]
    )
    timings = []
    for i, user in enumerate(users):  # different patients: no typst cache hits
        end = last_night(user)
        t0 = time.perf_counter()
        render_pdf(load_report(user, end - timedelta(days=364), end))
        if i:
            timings.append(1000 * (time.perf_counter() - t0))
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument(
        "--jobs", type=int, default=None, help="crampwise report --jobs (default: one per CPU)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="Reuse this data dir (filled by an earlier run) instead of a new one.",
    )
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="crampwise-report-bench-"))
    os.environ["CRAMPWISE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/insights_speed.py
    sys.path.insert(0, str(ROOT / "src"))
    from crampwise.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()

    one = time_pure(args.repeats)
    print(
        f"1-year report, in process (365 nights, no database): content {one['content_ms']:.1f} ms + "
        f"PDF {one['pdf_ms']:.1f} ms = {one['total_ms']:.1f} ms median (worst {one['worst_ms']:.1f} ms)"
    )
    print(f"  goal {GOAL_ONE_MS:.0f} ms: {'met' if one['total_ms'] < GOAL_ONE_MS else 'NOT MET'}")

    from django.contrib.auth import get_user_model

    t0 = time.perf_counter()
    existing = get_user_model().objects.filter(username__startswith="patient").count()
    if existing != args.patients:
        if existing:
            raise SystemExit(
                f"{data_dir} holds {existing} patients, not {args.patients}: use a new data dir"
            )
        fill_database(args.patients, 365)
    fill_s = time.perf_counter() - t0
    print(
        f"{'filled' if not existing else 'reused'} {args.patients} patients with a year each ({fill_s:.1f} s)"
    )
    with_db = time_load_report(min(args.repeats, 10))
    print(f"1-year report with the database read (load_report + PDF): {with_db:.1f} ms median")

    out_dir = data_dir / "reports"
    if out_dir.exists():
        for old in out_dir.glob("*.pdf"):
            old.unlink()
    t0 = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "crampwise.cli",
            "report",
            "--all-patients",
            "--out-dir",
            str(out_dir),
            *(["--jobs", str(args.jobs)] if args.jobs else []),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
    )
    batch_s = time.perf_counter() - t0
    written = len(list(out_dir.glob("*.pdf"))) if out_dir.exists() else 0
    if done.returncode != 0:
        print(done.stderr[-2000:])
    print(
        f"crampwise report --all-patients: {written} PDFs (12 weeks each) in {batch_s:.1f} s, "
        f"{1000 * batch_s / max(written, 1):.0f} ms a patient, start-up included"
    )
    scaled = batch_s * 1000 / max(written, 1)
    print(
        f"  goal 1,000 patients in {GOAL_BATCH_S:.0f} s: {'met' if scaled < GOAL_BATCH_S else 'NOT MET'} "
        f"({scaled:.0f} s for 1,000 at this pace)"
    )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "one_year_in_process": one,
                "one_year_with_database_ms": with_db,
                "patients": args.patients,
                "pdfs_written": written,
                "batch_seconds": batch_s,
                "fill_seconds": fill_s,
                "jobs": args.jobs or os.cpu_count(),
                "cpu_count": os.cpu_count(),
                "load_average": os.getloadavg(),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if done.returncode == 0 and written == args.patients else 1


if __name__ == "__main__":
    sys.exit(main())
