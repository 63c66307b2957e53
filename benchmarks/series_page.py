"""The series page for 50 patients of 12 weeks each (goal: p95 < 300 ms), and its exports.

    .venv/bin/python benchmarks/series_page.py [--patients 50] [--repeats 30]
    CRAMPWISE_DATABASE_URL=postgres://... .venv/bin/python benchmarks/series_page.py

A fresh database (SQLite in a temporary data dir unless CRAMPWISE_DATABASE_URL is set) with one
clinician's protocol (magnesium, 3 pairs of 14-night periods: 12 weeks) and N patients who joined
12 weeks ago, each with every night answered (a few missing) and the morning adherence answers.
Timed through Django's test client, whole request and response:

- "cache emptied": the cache emptied before each request, each patient's row read from the
  database (where the check-ins and the worker keep them current), then the pooling;
- "first view of a new process": the same, as the first request of a new Python process that has
  loaded the app as a gunicorn worker does (imports and templates not yet warm);
- "after one patient's new answer": one night changed behind the app's back, so the page itself
  analyses that patient again, stores the row, then pools;
- "nothing stored": the cache emptied and every stored row deleted before each request, so the
  page analyses all patients (after an upgrade that changes what a row holds, say);
- "later views": nothing changed since the last view, so the pooled result comes from the cache
  (the page still reads the enrolments, checks what changed and writes the audit rows);
- the worker's pass when every row went stale at once (each morning, a new night is over);
- what storing rows costs a patient: the check-in POST of an enrolled patient (their row is
  computed again once it commits) beside the same POST of someone in no series;
- the CSV of all nights, and the PDF report.

Writes benchmarks/results/series_page.json. With SERIES_PROFILE=warm, cold, none, one or csv (and
SERIES_SORT=tottime, say) it prints a cProfile of that case instead, to find what grew.
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


def one_view_in_a_new_process(protocol_id: str) -> None:
    """The first request of a new server process, after loading the app as gunicorn's worker does."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    import crampwise.wsgi  # noqa: F401  (what the worker loads before it takes a request)

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench_lead"))
    start = time.perf_counter()
    response = client.get(f"/series/{protocol_id}/")
    assert response.status_code == 200, response.status_code
    print(f"{(time.perf_counter() - start) * 1000:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--one-view", metavar="PROTOCOL", help=argparse.SUPPRESS)
    args = parser.parse_args()

    import django

    django.setup()
    if args.one_view:
        one_view_in_a_new_process(args.one_view)
        return
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

    from crampwise.series import rows
    from crampwise.series.models import PatientResult

    def first_view() -> None:
        cache.clear()
        get(page)

    def nothing_stored() -> None:
        cache.clear()
        PatientResult.objects.all().delete()
        get(page)

    def new_process() -> float:
        # Timed inside the new process: its start-up is not the page's.
        out = subprocess.run(
            [sys.executable, __file__, "--one-view", str(protocol.pk)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        return float(out.stdout.split()[-1])

    def worker_pass() -> None:
        # What a new morning does to every row: a new key. The worker recomputes them all.
        PatientResult.objects.update(key="")
        assert rows.refresh_stale() == args.patients

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

    from django.urls import reverse

    from crampwise.diary.services import last_night

    outsider = users.objects.create_user("bench_outsider", password="bench-password-1")
    outsider.profile.time_zone = "America/Chicago"
    outsider.profile.save()

    def check_in(username: str):
        # The morning check-in's POST. An enrolled patient's series row is computed again and
        # stored once the check-in commits; someone in no series is the baseline.
        person = users.objects.get(username=username)
        morning = Client(HTTP_HOST="localhost")
        morning.force_login(person)
        url = reverse("night_edit", args=[last_night(person).isoformat()])

        def post() -> None:
            answer = {"cramps": str(next(turn) % 4), "worst_pain": "5", "minutes_awake": "10",
                      "sleep_quality": "3"}  # fmt: skip
            response = morning.post(url, answer)
            assert response.status_code == 302, response.status_code

        return post

    get(page)
    if os.environ.get("SERIES_PROFILE"):
        import cProfile
        import pstats

        target = {
            "warm": lambda: get(page),
            "cold": first_view,
            "none": nothing_stored,
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
        ("cache emptied (rows stored)", first_view, args.repeats),
        ("first view of a new process", new_process, max(5, args.repeats // 3)),
        ("after one patient's new answer", after_one_answer, args.repeats),
        ("nothing stored (every row computed)", nothing_stored, max(5, args.repeats // 3)),
        ("worker: every row stale, recomputed", worker_pass, 5),
        ("later views (pooled result cached)", lambda: get(page), args.repeats),
        ("check-in POST, enrolled patient", check_in("bench_patient_0"), args.repeats),
        ("check-in POST, in no series (baseline)", check_in("bench_outsider"), args.repeats),
        ("CSV of all nights", lambda: get(f"/series/{protocol.pk}/nights.csv"), 5),
        ("PDF report", lambda: get(f"/series/{protocol.pk}/report.pdf"), 5),
    ):
        times = [new_process() for _ in range(repeats)] if fn is new_process else timed(fn, repeats)
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
