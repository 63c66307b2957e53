"""Clinic scale on PostgreSQL: 20,000 people with a year each, clinicians with 1,000 patients each.

What a person feels at a clinic's size: the morning pages of benchmarks/load_morning.py (check-in,
home, history, "cramp now") plus clinicians opening their patient list and a patient's report,
sent open-loop at --rate requests a second against a real `crampwise serve` (gunicorn) on one
PostgreSQL database holding --people diaries of --nights nights (about 7 million nights at the
default 20,000 people; --people 100000 for the full size). Latency is counted from when each
request was due, so a server falling behind shows in the figures (load_morning.py's generator).

Seeding uses COPY (psycopg 3), in chunks of 1,000 people, each chunk one transaction, so an
interrupted seeding is resumed with --resume (the finished chunks are kept). The diaries come from
diary/core/demo.py's generator: --pool distinct one-year diaries are generated (different seeds),
and each person gets one of them under their own account, with fresh episode and medicine ids, so
seeding costs the database's COPY time, not Python's generator time. Each clinician is granted
(clinician.models.Grant) by --per-clinician consecutive patients; every third person has their own
factor, as in load_morning.py.

Budgets (issue 19): p95 < 150 ms for patient pages, p95 < 300 ms for a clinician's list of 1,000
patients, no errors. The report also gives each kind's p50/p99 and the database's size.

Two cores shared: the load generator runs in this process (64 client threads on keep-alive
connections; they mostly sleep in socket reads) beside the server (gunicorn, 2 workers x 4
threads) and PostgreSQL. Sending costs the generator 0.6-0.9 ms of CPU a request (printed): at
40 requests a second, 3% of one core, so it cannot starve the server; the server's own CPU per
request is printed beside it. Whether anything starved the generator shows as "client lateness",
how long a due request waited before a client thread sent it. It counts in the latency, so a
late generator only makes the figures worse, never better. While the server keeps up, lateness
is the generator's own delay; once the server falls behind, all 64 connections wait on it and
lateness grows with the server's queue, which the per-page figures then show too. The server gets the default `crampwise serve` settings, nothing pinned or
reniced: a clinic's server shares its cores with PostgreSQL in the same way.
Seeding runs before the server starts, never beside it.

Run:  .venv/bin/python benchmarks/clinic_scale.py [--people 20000] [--nights 365] [--rate 40]
      [--seconds 60] [--list-share 0.005] [--report-share 0.025] [--alone 1] [--one-at-a-time 20]
      [--resume] [--postgres-url URL] [--json FILE]
Loopback only; every run is bounded in requests and in time. The database named by
--postgres-url is dropped and made anew (unless --resume).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_morning as morning  # noqa: E402  (the load generator, reused)

from crampwise.diary.core.demo import demo_medicines, generate  # noqa: E402
from crampwise.diary.core.nights import DEFAULT_DAY_BOUNDARY, night_of  # noqa: E402

PATIENT_P95_BUDGET_MS, LIST_P95_BUDGET_MS = 150.0, 300.0
CHUNK = 1_000  # people a seeding transaction
ZONE = "Europe/London"
PATIENT_PREFIX, CLINICIAN_PREFIX = "clinic", "doctor"
# Gaps as in real diaries, a little rarer than the demo's default: about 340 nights a year.
MISSING_RATE = 0.04
KINDS = [kind for kind, _ in morning.MIX] + ["clinician list", "clinician report"]
PATIENT_KINDS = [kind for kind, _ in morning.MIX]
morning.EXPECTED_STATUS.update({"clinician list": 200, "clinician report": 200})


# ---- seeding with COPY -----------------------------------------------------------------------------


def _tsv(value) -> str:
    """One COPY text field: NULL as \\N; tabs, newlines and backslashes escaped."""
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _factor_json(factors: dict) -> str:
    # As diary/demo_loader.py stores them: yes/no factors as booleans, whole numbers as ints.
    out = {
        k: (
            bool(v) if k in ("stretched", "supportive_shoes") else (int(v) if v.is_integer() else v)
        )
        for k, v in factors.items()
        if v is not None
    }
    return json.dumps(out, separators=(",", ":"))


class Diary:
    """One generated year, as COPY lines without the person's id (added per person)."""

    def __init__(self, seed: int, nights: int, end, now: str) -> None:
        zone = ZoneInfo(ZONE)
        self.night_lines: list[str] = []
        self.episode_lines: list[str] = []
        for item in generate(nights, end, seed, zone, missing_rate=MISSING_RATE):
            r = item.record
            self.night_lines.append(
                "\t".join(
                    _tsv(v)
                    for v in (
                        r.night.isoformat(),
                        r.cramps,
                        len(item.episodes),
                        r.worst_pain,
                        r.minutes_awake,
                        r.sleep_quality,
                        r.soreness,
                        _factor_json(r.factors),
                        json.dumps(list(r.medicines_taken)),
                        "",
                        now,
                        now,
                    )
                )
            )
            for e in item.episodes:
                self.episode_lines.append(
                    "\t".join(
                        _tsv(v)
                        for v in (
                            r.night.isoformat(),
                            e["started_at"].isoformat(),
                            e["ended_at"].isoformat(),
                            e["muscle"],
                            e["side"],
                            e["pain"],
                            json.dumps(list(e["reliefs"])),
                            now,
                        )
                    )
                )


USER_COLUMNS = (
    "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff,"
    " is_active, date_joined"
)
PROFILE_COLUMNS = "user_id, birth_year, sex, time_zone, bedtime, wake_time, day_boundary, night_mode, is_clinician"
NIGHT_COLUMNS = (
    "user_id, night, reported_cramps, episode_count, worst_pain, minutes_awake, sleep_quality,"
    " soreness, factors, medicines_taken, note, checked_in_at, updated_at"
)
EPISODE_COLUMNS = (
    "id, user_id, night, started_at, ended_at, muscle, side, pain, reliefs, created_at"
)


def _copy(cursor, table: str, columns: str, data: io.StringIO) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(data.getvalue())


def _user_row(uid: int, username: str, now: str) -> str:
    # An unusable password ("!" prefix, as Django's set_unusable_password): sessions sign them in.
    return f"{uid}\t!{uuid.uuid4().hex}\t\\N\tf\t{username}\t\t\t\tf\tt\t{now}\n"


def _profile_row(uid: int, clinician: bool) -> str:
    return f"{uid}\t1953\t\t{ZONE}\t22:30\t07:00\t{DEFAULT_DAY_BOUNDARY.isoformat()}\tauto\t{'t' if clinician else 'f'}\n"


def _no_foreign_key_checks(cursor) -> None:
    """Skip the per-row foreign-key triggers for this transaction: they would double the COPY time,
    and every row here points at an account of the same chunk by construction (needs a superuser,
    as the benchmark's throwaway database has)."""
    cursor.execute("SET LOCAL session_replication_role = replica")


def seed_chunk(connection, first: int, last: int, pool: list[Diary], start, end, now: str) -> int:
    """People ``first``..``last - 1`` (user ids first + 1 ...), their diaries, in one transaction."""
    users, profiles, nights, episodes, medicines, factors = (io.StringIO() for _ in range(6))
    night_rows = 0
    meds = demo_medicines(start, end)
    for i in range(first, last):
        uid = i + 1
        users.write(_user_row(uid, f"{PATIENT_PREFIX}{i:06d}", now))
        profiles.write(_profile_row(uid, clinician=False))
        diary = pool[i % len(pool)]
        prefix = f"{uid}\t"
        if diary.night_lines:
            nights.write(prefix + ("\n" + prefix).join(diary.night_lines) + "\n")
        night_rows += len(diary.night_lines)
        ids = os.urandom(16 * len(diary.episode_lines)).hex()
        episodes.writelines(
            f"{ids[32 * j : 32 * j + 32]}\t{prefix}{line}\n"
            for j, line in enumerate(diary.episode_lines)
        )
        for m in meds:
            medicines.write(
                f"{uuid.uuid4().hex}\t{uid}\t{_tsv(m.name)}\t{_tsv(m.dose)}\t{_tsv(m.started)}"
                f"\t{_tsv(m.stopped)}\t{m.purpose}\t\n"
            )
        if i % 3 == 0:
            factors.write(f"{uid}\tlate_dinner\tLate dinner?\tyes_no\t{now}\n")
    with connection.transaction(), connection.cursor() as cursor:
        _no_foreign_key_checks(cursor)
        _copy(cursor, "auth_user", USER_COLUMNS, users)
        _copy(cursor, "accounts_profile", PROFILE_COLUMNS, profiles)
        _copy(cursor, "diary_night", NIGHT_COLUMNS, nights)
        _copy(cursor, "diary_episode", EPISODE_COLUMNS, episodes)
        _copy(
            cursor,
            "diary_medicine",
            "id, user_id, name, dose, started, stopped, purpose, note",
            medicines,
        )
        _copy(cursor, "diary_customfactor", "user_id, name, label, kind, created_at", factors)
    return night_rows


def seed_clinicians(connection, people: int, per_clinician: int, now: str) -> int:
    """One clinician per ``per_clinician`` patients, each granted by those patients."""
    count = max(1, people // per_clinician)
    users, profiles, grants = io.StringIO(), io.StringIO(), io.StringIO()
    for c in range(count):
        uid = people + c + 1
        users.write(_user_row(uid, f"{CLINICIAN_PREFIX}{c:04d}", now))
        profiles.write(_profile_row(uid, clinician=True))
        for i in range(c * per_clinician, min(people, (c + 1) * per_clinician)):
            grants.write(f"{uuid.uuid4().hex}\t{i + 1}\t{uid}\t{now}\t\\N\n")
    with connection.transaction(), connection.cursor() as cursor:
        _no_foreign_key_checks(cursor)
        _copy(cursor, "auth_user", USER_COLUMNS, users)
        _copy(cursor, "accounts_profile", PROFILE_COLUMNS, profiles)
        _copy(
            cursor,
            "clinician_grant",
            "id, patient_id, clinician_id, created_at, revoked_at",
            grants,
        )
    return count


def seed(url: str, args: argparse.Namespace) -> dict:
    """Seed (or finish seeding) the database; returns what it holds and how long it took."""
    import psycopg

    began = time.monotonic()
    now_dt = datetime.now(UTC)
    now = now_dt.isoformat()
    end = night_of(now_dt, ZoneInfo(ZONE), DEFAULT_DAY_BOUNDARY) - timedelta(days=1)
    start = end - timedelta(days=args.nights - 1)
    with psycopg.connect(url) as connection:
        done = connection.execute(
            "SELECT count(*) FROM auth_user WHERE username LIKE %s", [PATIENT_PREFIX + "%"]
        ).fetchone()[0]
        clinicians = connection.execute(
            "SELECT count(*) FROM auth_user WHERE username LIKE %s", [CLINICIAN_PREFIX + "%"]
        ).fetchone()[0]
        connection.commit()
        if done % CHUNK and done != args.people:
            raise SystemExit(f"{done} people seeded, not a whole number of chunks: start afresh")
        if done < args.people:
            if done:
                print(f"  resuming: {done:,} people already seeded")
            t = time.monotonic()
            pool = [Diary(args.seed + k, args.nights, end, now) for k in range(args.pool)]
            print(f"  {args.pool} distinct diaries generated in {time.monotonic() - t:.0f} s")
            nights, t = 0, time.monotonic()
            for first in range(done, args.people, CHUNK):
                last = min(args.people, first + CHUNK)
                nights += seed_chunk(connection, first, last, pool, start, end, now)
                _progress(last, args.people, nights, time.monotonic() - t)
            print()
        if not clinicians:
            clinicians = seed_clinicians(connection, args.people, args.per_clinician, now)
        connection.autocommit = True
        for table in ("auth_user", "accounts_profile", "diary_customfactor"):
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        t = time.monotonic()
        connection.execute("VACUUM ANALYZE")
        vacuum = time.monotonic() - t
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("auth_user", "diary_night", "diary_episode", "clinician_grant")
        }
    return {
        "seconds": time.monotonic() - began,
        "vacuum_analyze_seconds": vacuum,
        "clinicians": clinicians,
        "counts": counts,
    }


def _progress(done: int, total: int, nights: int, seconds: float) -> None:
    width = 30
    filled = int(width * done / total)
    rate = nights / seconds if seconds else 0
    print(
        f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} people, "
        f"{nights:,} nights, {seconds:.0f} s ({rate:,.0f} nights/s)",
        end="",
        flush=True,
    )


def database_size(url: str) -> dict:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        total = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        tables = {
            table: connection.execute("SELECT pg_total_relation_size(%s)", [table]).fetchone()[0]
            for table in ("diary_night", "diary_episode", "clinician_accessevent")
        }
    return {"database_bytes": total, "table_bytes": tables}


# ---- sessions (Django, in a subprocess with the server's settings) ---------------------------------

SESSIONS_CODE = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from crampwise.clinician.models import Grant
from crampwise.diary import services
from crampwise.diary.models import Episode

patients, clinicians, per = sys.argv[1].split(","), sys.argv[2].split(","), int(sys.argv[3])
User = get_user_model()
out = {"patients": [], "clinicians": []}
for name in patients:
    account = User.objects.get(username=name)
    client = Client()
    client.force_login(account)
    logged = Episode.objects.filter(user=account, night=services.last_night(account)).count()
    out["patients"].append({"session": client.cookies["sessionid"].value, "logged": logged})
for name in clinicians:
    account = User.objects.get(username=name)
    client = Client()
    client.force_login(account)
    grants = list(Grant.objects.filter(clinician=account).order_by("?").values_list("id", flat=True)[:per])
    out["clinicians"].append({"session": client.cookies["sessionid"].value, "grants": [str(g) for g in grants]})
print("SESSIONS " + json.dumps(out))
"""


def sessions(env: dict, args: argparse.Namespace, clinicians: int) -> dict:
    rng = random.Random(args.seed)
    patients = rng.sample(range(args.people), min(args.signed_in, args.people))
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            SESSIONS_CODE,
            ",".join(f"{PATIENT_PREFIX}{i:06d}" for i in patients),
            ",".join(f"{CLINICIAN_PREFIX}{c:04d}" for c in range(clinicians)),
            "20",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    line = next(x for x in out.stdout.splitlines() if x.startswith("SESSIONS "))
    return json.loads(line[len("SESSIONS ") :])


# ---- the load --------------------------------------------------------------------------------------


def schedule(
    patients: list[morning.Person],
    clinicians: list[tuple[morning.Person, list[str]]],
    args: argparse.Namespace,
    seconds: float,
    rng: random.Random,
) -> list[morning.Due]:
    """The morning mix (load_morning.schedule) with clinicians' list and report requests mixed in."""
    clinic_share = args.list_share + args.report_share
    dues = morning.schedule(patients, args.rate * (1 - clinic_share), seconds, args.arrivals, rng)
    at = 0.0
    clinic_rate = args.rate * clinic_share
    while clinic_rate > 0:
        at += rng.expovariate(clinic_rate) if args.arrivals == "poisson" else 1 / clinic_rate
        if at >= seconds:
            break
        person, grants = rng.choice(clinicians)
        if rng.random() < args.list_share / clinic_share:
            dues.append(morning.Due(at, "clinician list", person, path="/clinician/"))
        else:
            path = f"/clinician/patients/{rng.choice(grants)}/report/"
            dues.append(morning.Due(at, "clinician report", person, path=path))
    dues.sort(key=lambda d: d.at)
    return dues


def run_load(port: int, server_pid: int, dues: list[morning.Due]) -> dict:
    work: queue.Queue = queue.Queue()
    outcomes: list[morning.Outcome] = []
    start_at = [0.0]
    clients = [morning.Client(port, work, outcomes, start_at) for _ in range(morning.CONNECTIONS)]
    for client in clients:
        client.start()
    cpu_server, cpu_client = morning.server_cpu_seconds(server_pid), time.process_time()
    start_at[0] = time.perf_counter() + 0.05
    for due in dues:
        delay = start_at[0] + due.at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        work.put(due)
    for _ in clients:
        work.put(None)
    deadline = time.perf_counter() + morning.DRAIN_TIMEOUT
    for client in clients:
        client.join(max(0.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - start_at[0]
    for client in clients:
        client.close()
    cpu_server = morning.server_cpu_seconds(server_pid) - cpu_server
    cpu_client = time.process_time() - cpu_client
    finished = list(outcomes)
    by_kind = {}
    for kind in KINDS:
        lat = [o.latency_ms for o in finished if o.kind == kind]
        sent = sum(d.kind == kind for d in dues)
        by_kind[kind] = {
            "requests": sent,
            "p50_ms": morning.percentile(lat, 50),
            "p95_ms": morning.percentile(lat, 95),
            "p99_ms": morning.percentile(lat, 99),
            "errors": sum(not o.ok for o in finished if o.kind == kind) + (sent - len(lat)),
        }
    details: dict[str, int] = {}
    for o in finished:
        if not o.ok:
            key = f"{o.kind}: {o.detail}"
            details[key] = details.get(key, 0) + 1
    for kind, k in by_kind.items():
        unanswered = k["requests"] - sum(o.kind == kind for o in finished)
        if unanswered:
            details[f"{kind}: unanswered {morning.DRAIN_TIMEOUT:.0f} s after the last was sent"] = (
                unanswered
            )
    return {
        "requests": len(dues),
        "answered": len(finished),
        "achieved_rate": len(finished) / elapsed if elapsed else 0.0,
        "errors": sum(k["errors"] for k in by_kind.values()),
        "error_kinds": details,
        "by_kind": by_kind,
        "client_lateness_p99_ms": morning.percentile([o.wait_ms for o in finished], 99),
        "server_cpu_ms_per_request": 1000 * cpu_server / max(len(finished), 1),
        "client_cpu_ms_per_request": 1000 * cpu_client / max(len(finished), 1),
    }


def show(result: dict, rate: float, seconds: float) -> bool:
    print(
        f"  {result['requests']} requests at {rate:.0f}/s for {seconds:.0f} s, achieved "
        f"{result['achieved_rate']:.1f}/s; errors {result['errors']}"
        + (f" {result['error_kinds']}" if result["error_kinds"] else "")
    )
    print(f"  {'page':<18}{'sent':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}  budget")
    met = result["errors"] == 0
    for kind, k in result["by_kind"].items():
        if not k["requests"]:
            continue
        budget = LIST_P95_BUDGET_MS if kind == "clinician list" else PATIENT_P95_BUDGET_MS
        ok = k["p95_ms"] < budget and k["errors"] == 0
        met = met and ok
        print(
            f"  {kind:<18}{k['requests']:>6}{k['p50_ms']:>9.1f}{k['p95_ms']:>9.1f}"
            f"{k['p99_ms']:>9.1f}{k['errors']:>8}  p95 < {budget:.0f}: {'met' if ok else 'NOT met'}"
        )
    print(
        f"  server CPU {result['server_cpu_ms_per_request']:.1f} ms/request; load generator CPU "
        f"{result['client_cpu_ms_per_request']:.2f} ms/request; client lateness p99 "
        f"{result['client_lateness_p99_ms']:.1f} ms"
    )
    return met


def one_at_a_time(
    port: int,
    patients: list[morning.Person],
    clinicians: list,
    args: argparse.Namespace,
    count: int,
    rng: random.Random,
) -> dict[str, dict[str, float]]:
    """Each page but the list, ``count`` times, one request at a time: what each costs with no
    queue in front of it (the server's own time; the list is timed by ``alone``)."""
    shares = (args.list_share, args.report_share)
    args.list_share, args.report_share = 0.0, 0.5
    dues = schedule(patients, clinicians, args, count * 40 / args.rate, rng)
    args.list_share, args.report_share = shares
    client = morning.Client(port, queue.Queue(), [], [0.0])
    times: dict[str, list[float]] = {}
    for due in dues:
        if len(times.setdefault(due.kind, [])) >= count:
            continue
        began = time.perf_counter()
        ok, detail = client.send(due)
        if not ok:
            raise SystemExit(f"{due.kind} answered {detail}")
        times[due.kind].append(1000 * (time.perf_counter() - began))
    client.close()
    return {
        kind: {
            "p50_ms": morning.percentile(t, 50),
            "p95_ms": morning.percentile(t, 95),
            "n": len(t),
        }
        for kind, t in times.items()
    }


def alone(port: int, clinicians: list, count: int) -> list[float]:
    """A clinician's list opened ``count`` times one after another, with no other load."""
    import http.client

    person = clinicians[0][0]
    times = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        began = time.perf_counter()
        connection.request("GET", "/clinician/", headers=person.headers())
        response = connection.getresponse()
        response.read()
        times.append(1000 * (time.perf_counter() - began))
        connection.close()
        if response.status != 200:
            raise SystemExit(f"the clinician list answered {response.status}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/crampwise_clinic",
        help="a database that may be dropped and made anew",
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--per-clinician", type=int, default=1_000)
    parser.add_argument("--pool", type=int, default=200, help="distinct generated diaries")
    parser.add_argument("--signed-in", type=int, default=400, help="patients sending requests")
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--list-share", type=float, default=0.005, help="of all requests")
    parser.add_argument("--report-share", type=float, default=0.025, help="of all requests")
    parser.add_argument("--alone", type=int, default=1, help="clinician lists timed unloaded")
    parser.add_argument(
        "--one-at-a-time", type=int, default=20, help="requests of each other page timed unloaded"
    )
    parser.add_argument("--arrivals", choices=("poisson", "even"), default="poisson")
    parser.add_argument(
        "--resume", action="store_true", help="keep what an earlier run seeded; seed the rest"
    )
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.rate * args.seconds > 20_000 or args.seconds > 600 or args.people > 200_000:
        raise SystemExit("keep runs bounded: 20,000 requests, 600 s, 200,000 people at most")
    if args.people % CHUNK:
        raise SystemExit(f"--people must be a multiple of {CHUNK}")

    data = Path(tempfile.mkdtemp(prefix="cw-clinic-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env.update(
        {
            "CRAMPWISE_DATA_DIR": str(data),
            "CRAMPWISE_DATABASE_URL": args.postgres_url,
            "CRAMPWISE_SECRET_KEY": "clinic-scale-only-" + "k" * 40,
            "DJANGO_SETTINGS_MODULE": "crampwise.settings",
        }
    )
    url = args.postgres_url.replace("postgres://", "postgresql://", 1)
    print(
        f"Clinic scale on PostgreSQL: {args.people:,} people x {args.nights} nights, "
        f"{args.per_clinician:,} patients a clinician"
    )
    print(f"  load average of the machine before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not args.resume:
        morning.fresh_postgres(args.postgres_url)
    subprocess.run(
        [*morning.CRAMPWISE, "manage", "migrate", "--verbosity", "0"], env=env, check=True
    )
    seeded = seed(url, args)
    print(
        f"  seeded in {seeded['seconds']:.0f} s (VACUUM ANALYZE {seeded['vacuum_analyze_seconds']:.0f} s): "
        + ", ".join(f"{table} {n:,}" for table, n in seeded["counts"].items())
    )
    # COPY bypasses the writes that keep the worklist's figures current: compute them once, as a
    # clinic upgrading with older data would (docs/clinician.md), and say what it cost.
    started = time.perf_counter()
    subprocess.run(
        [*morning.CRAMPWISE, "manage", "refresh_patient_summaries", "--missing-only"],
        env=env,
        check=True,
    )
    print(f"  worklist figures computed in {time.perf_counter() - started:.0f} s")
    signed = sessions(env, args, seeded["clinicians"])
    patients = [morning.Person(p["session"], p["logged"]) for p in signed["patients"]]
    clinicians = [(morning.Person(c["session"], 0), c["grants"]) for c in signed["clinicians"]]
    port = morning.free_port()
    server = subprocess.Popen(
        [*morning.CRAMPWISE, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rng = random.Random(args.seed)
    try:
        morning.wait_for(f"http://127.0.0.1:{port}/healthz")
        unloaded = one_at_a_time(port, patients, clinicians, args, args.one_at_a_time, rng)
        print(
            "  one request at a time, p50/p95 ms: "
            + ", ".join(f"{k} {v['p50_ms']:.0f}/{v['p95_ms']:.0f}" for k, v in unloaded.items())
        )
        lone = alone(port, clinicians, args.alone) if args.alone else []
        if lone:
            print(
                f"  a clinician's list of {args.per_clinician:,} patients, alone: "
                + ", ".join(f"{t:.0f}" for t in lone)
                + f" ms (budget p95 < {LIST_P95_BUDGET_MS:.0f} ms)"
            )
        if lone and min(lone) > 1000 * morning.REQUEST_TIMEOUT and args.list_share:
            # Lists that outlast the client's timeout would pile up in the server and the run would
            # measure only that queue: every other page's figure would be the list's, not its own.
            print(
                f"  the list outlasts the {morning.REQUEST_TIMEOUT:.0f} s request timeout even alone:"
                " left out of the mixed load (its figure is the one above)"
            )
            args.list_share = 0.0
        run_load(port, server.pid, schedule(patients, clinicians, args, args.warmup, rng))
        result = run_load(port, server.pid, schedule(patients, clinicians, args, args.seconds, rng))
        met = show(result, args.rate, args.seconds)
        print(
            f"  load average of the machine after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        print(
            f"  budgets (patient pages p95 < 150 ms, list p95 < 300 ms, no errors): {'met' if met else 'NOT met'}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    size = database_size(url)
    print(
        f"  database size {size['database_bytes'] / 2**30:.2f} GiB ("
        + ", ".join(f"{t} {b / 2**30:.2f} GiB" for t, b in size["table_bytes"].items())
        + ")"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "seeding": seeded,
                    "one_at_a_time": unloaded,
                    "clinician_list_alone_ms": lone,
                    "load": result,
                    "size": size,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
