"""Open-loop load test of the morning: many signed-in people on the production server.

What a person feels is the time from tapping to seeing the page, including any wait behind other
people's requests. So requests are sent on a fixed schedule (Poisson arrivals by default, or
evenly spaced), whether or not earlier ones have been answered, and each request's latency is
counted from when it was due: when the server falls behind, the queue shows in the figures.

The mix is a morning: the check-in page and its POST, the home page, the history month and
"cramp now", from --users seeded people (each with --nights nights of a generated diary, a few
medicines, some with an own factor), each signed in with their own session. The server is
`crampwise serve` (gunicorn, its default workers and threads), on SQLite, on PostgreSQL, or both.

Budget (docs/decisions/0004-check-in-throughput.md): at 40 requests a second, p95 < 150 ms,
p99 < 500 ms, no errors. Then a bounded search for the highest rate that keeps p95 under 150 ms
with no errors (--search-steps steps of --search-seconds each).

Run:  .venv/bin/python benchmarks/load_morning.py [--database sqlite|postgres|both]
      [--rate 40] [--seconds 60] [--users 200] [--nights 120] [--arrivals poisson|even]
      [--search-steps 6] [--search-seconds 15] [--postgres-url URL] [--json FILE]
Loopback only; every run is bounded in requests and in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
CRAMPWISE = [sys.executable, "-m", "crampwise.cli"]
P95_BUDGET_MS, P99_BUDGET_MS = 150.0, 500.0

# The morning mix: (kind, share of requests).
MIX = (
    ("check-in page", 0.25),
    ("check-in POST", 0.25),
    ("home", 0.25),
    ("history", 0.15),
    ("cramp now", 0.10),
)
EXPECTED_STATUS = {
    "check-in page": 200,
    "check-in POST": 302,
    "home": 200,
    "history": 200,
    "cramp now": 302,
}
CHECKIN_ANSWERS = (
    "&worst_pain=4&minutes_awake=10&sleep_quality=3&soreness=1&f_stretched=yes"
    "&f_fluid_glasses=6&f_alcohol_units=1&note=calf+at+3"
)
CSRF = "morningloadtestcsrfsecret0123456"  # 32 characters, as Django's CSRF cookie secret
CONNECTIONS = 64  # client threads, each with its own keep-alive connection
REQUEST_TIMEOUT = 10.0
DRAIN_TIMEOUT = 30.0


# ---- seeding (runs in a subprocess with the server's settings) ------------------------------------

SEED_CODE = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from crampwise.diary import services
from crampwise.diary.demo_loader import load_demo
from crampwise.diary.models import CustomFactor, Episode

users, nights = int(sys.argv[1]), int(sys.argv[2])
people = []
for i in range(users):
    # No password: hashing 200 with Argon2 would only slow the set-up; the session signs them in.
    account, _created = load_demo(f"morning{i:03d}", None, nights, 1000 + i, "Europe/London")
    if i % 3 == 0:
        CustomFactor.objects.create(user=account, name="late_dinner", label="Late dinner?", kind="yes_no")
    client = Client()
    client.force_login(account)
    night = services.last_night(account)
    logged = Episode.objects.filter(user=account, night=night).count()
    people.append({"session": client.cookies["sessionid"].value, "logged": logged})
print("PEOPLE " + json.dumps(people))
"""


def seed(env: dict, users: int, nights: int) -> list[dict]:
    subprocess.run([*CRAMPWISE, "manage", "migrate", "--verbosity", "0"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", SEED_CODE, str(users), str(nights)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    line = next(x for x in out.stdout.splitlines() if x.startswith("PEOPLE "))
    return json.loads(line[len("PEOPLE ") :])


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# ---- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"server did not answer {url}")


def server_cpu_seconds(server_pid: int) -> float:
    """User + system CPU time of the server's worker processes so far (from /proc)."""
    out = subprocess.run(
        ["pgrep", "-P", str(server_pid)], capture_output=True, text=True, check=False
    )
    total = 0
    for pid in out.stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# ---- the load --------------------------------------------------------------------------------------


@dataclass
class Person:
    session: str
    floor: int  # cramps the check-in must at least report: logged at seeding + "cramp now" sent

    def headers(self) -> dict[str, str]:
        return {
            "Cookie": f"sessionid={self.session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        }


@dataclass
class Due:
    at: float  # seconds after the start of the run
    kind: str
    person: Person
    method: str = "GET"
    path: str = "/"
    body: bytes = b""


@dataclass
class Outcome:
    kind: str
    latency_ms: float  # from when the request was due to its last byte
    wait_ms: float  # from due until a client thread began sending it
    ok: bool
    detail: str = ""


def schedule(
    people: list[Person], rate: float, seconds: float, arrivals: str, rng: random.Random
) -> list[Due]:
    count = int(rate * seconds)
    kinds, weights = zip(*MIX, strict=True)
    at, dues = 0.0, []
    for i in range(count):
        at = rng.expovariate(rate) + at if arrivals == "poisson" else i / rate
        person = rng.choice(people)
        kind = rng.choices(kinds, weights)[0]
        dues.append(Due(at, kind, person))
    # Every "cramp now" of the run raises its person's floor before any check-in is sent, so a
    # check-in never reports fewer cramps than were logged (that answer is refused by design).
    for due in dues:
        if due.kind == "cramp now":
            due.person.floor += 1
    for due in dues:
        if due.kind == "check-in page":
            due.path = "/checkin/"
        elif due.kind == "check-in POST":
            n = due.person.floor
            answer = f"cramps={n}" if n < 5 else f"cramps=5%2B&cramps_more={n}"
            due.method, due.path, due.body = (
                "POST",
                "/checkin/",
                (answer + CHECKIN_ANSWERS).encode(),
            )
        elif due.kind == "history":
            due.path = "/history/"
        elif due.kind == "cramp now":
            due.method, due.path, due.body = "POST", "/night/cramp/", f"id={uuid.uuid4()}".encode()
    return dues


class Client(threading.Thread):
    """One keep-alive connection; takes due requests from the queue until it gets None."""

    def __init__(self, port: int, work: queue.Queue, outcomes: list, start_at: list[float]):
        super().__init__(daemon=True)
        self.port, self.work, self.outcomes, self.start_at = port, work, outcomes, start_at
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def run(self) -> None:
        while (due := self.work.get()) is not None:
            due_at = self.start_at[0] + due.at
            begun = time.perf_counter()
            ok, detail = self.send(due)
            done = time.perf_counter()
            self.outcomes.append(
                Outcome(due.kind, 1000 * (done - due_at), 1000 * (begun - due_at), ok, detail)
            )

    def send(self, due: Due) -> tuple[bool, str]:
        # gunicorn closes a keep-alive connection idle for 2 s; reconnect before that, and once more
        # if the server closed it anyway (every request here may be repeated: the check-in is an
        # upsert and "cramp now" carries its own id).
        for attempt in (1, 2):
            if self.connection is None or time.perf_counter() - self.last_used > 1.5:
                self.close()
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request(
                    due.method, due.path, body=due.body or None, headers=due.person.headers()
                )
                response = self.connection.getresponse()
                response.read()
                self.last_used = time.perf_counter()
                if response.will_close:
                    self.close()
            except (ConnectionError, http.client.HTTPException) as error:
                self.close()
                if attempt == 2:
                    return False, type(error).__name__
                continue
            except OSError as error:  # a timeout, or the server gone
                self.close()
                return False, type(error).__name__
            expected = EXPECTED_STATUS[due.kind]
            return (
                response.status == expected,
                "" if response.status == expected else f"status {response.status}",
            )
        return False, "unreachable"

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run_load(
    port: int,
    server_pid: int,
    people: list[Person],
    rate: float,
    seconds: float,
    arrivals: str,
    rng: random.Random,
) -> dict:
    dues = schedule(people, rate, seconds, arrivals, rng)
    work: queue.Queue = queue.Queue()
    outcomes: list[Outcome] = []
    start_at = [0.0]
    clients = [Client(port, work, outcomes, start_at) for _ in range(CONNECTIONS)]
    for client in clients:
        client.start()
    cpu_server, cpu_client = server_cpu_seconds(server_pid), time.process_time()
    start_at[0] = time.perf_counter() + 0.05
    for due in dues:
        delay = start_at[0] + due.at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        work.put(due)
    for _ in clients:
        work.put(None)
    deadline = time.perf_counter() + DRAIN_TIMEOUT
    for client in clients:
        client.join(max(0.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - start_at[0]
    for client in clients:
        client.close()
    cpu_server = server_cpu_seconds(server_pid) - cpu_server
    cpu_client = time.process_time() - cpu_client
    finished = list(outcomes)
    latencies = [o.latency_ms for o in finished]
    errors = sum(not o.ok for o in finished) + (len(dues) - len(finished))
    by_kind = {
        kind: percentile([o.latency_ms for o in finished if o.kind == kind], 95) for kind, _ in MIX
    }
    details: dict[str, int] = {}
    for o in finished:
        if not o.ok:
            details[o.detail] = details.get(o.detail, 0) + 1
    return {
        "rate": rate,
        "seconds": seconds,
        "requests": len(dues),
        "answered": len(finished),
        "achieved_rate": len(finished) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=float("nan")),
        "errors": errors,
        "error_kinds": details,
        "p95_by_kind_ms": by_kind,
        "client_wait_p99_ms": percentile([o.wait_ms for o in finished], 99),
        "server_cpu_ms_per_request": 1000 * cpu_server / max(len(finished), 1),
        "client_cpu_ms_per_request": 1000 * cpu_client / max(len(finished), 1),
    }


def passes(result: dict) -> bool:
    return result["p95_ms"] < P95_BUDGET_MS and result["errors"] == 0


def show(label: str, r: dict) -> None:
    print(
        f"  {label}: {r['requests']} requests at {r['rate']:.0f}/s for {r['seconds']:.0f} s, "
        f"achieved {r['achieved_rate']:.1f}/s; p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; errors {r['errors']}"
        + (f" {r['error_kinds']}" if r["error_kinds"] else "")
    )
    print(
        "    p95 by page: "
        + ", ".join(f"{k} {v:.1f}" for k, v in r["p95_by_kind_ms"].items())
        + f" ms; server CPU {r['server_cpu_ms_per_request']:.2f} ms/request, "
        f"client CPU {r['client_cpu_ms_per_request']:.2f} ms/request, "
        f"client's own wait p99 {r['client_wait_p99_ms']:.1f} ms"
    )


def search_highest(
    run, start: float, steps: int, seconds: float, best: float | None = None
) -> tuple[float | None, list[dict]]:
    """The highest rate found whose p95 stays under budget with no errors, in at most ``steps`` runs:
    grow by half again until a rate fails, then halve the gap between the best pass and the first fail."""
    tried: list[dict] = []
    worst = None
    rate = start
    for _ in range(steps):
        result = run(rate, seconds)
        tried.append(result)
        show(f"search {rate:.0f}/s", result)
        if passes(result):
            best = rate
        else:
            worst = rate
        if worst is None:
            rate = round(rate * 1.5)
        elif best is None:
            rate = round(rate / 2)
        else:
            if worst - best <= max(5, best * 0.05):
                break
            rate = round((best + worst) / 2)
        time.sleep(2)  # let the server settle between steps
    return best, tried


def bench_database(name: str, url: str, args: argparse.Namespace) -> dict:
    data = Path(tempfile.mkdtemp(prefix="cw-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env.update(
        {
            "CRAMPWISE_DATA_DIR": str(data),
            "CRAMPWISE_DATABASE_URL": url,
            "CRAMPWISE_SECRET_KEY": "load-test-only-" + "k" * 40,
        }
    )
    env["DJANGO_SETTINGS_MODULE"] = "crampwise.settings"
    if url.startswith("postgres"):
        fresh_postgres(url)
    began = time.monotonic()
    people = [Person(p["session"], p["logged"]) for p in seed(env, args.users, args.nights)]
    print(
        f"{name}: {len(people)} people with {args.nights} nights each, seeded in {time.monotonic() - began:.0f} s"
    )
    port = free_port()
    server = subprocess.Popen(
        [*CRAMPWISE, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rng = random.Random(args.seed)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")

        def run(rate: float, seconds: float) -> dict:
            return run_load(port, server.pid, people, rate, seconds, args.arrivals, rng)

        run(args.rate, args.warmup)  # imports, templates, connections, caches: not counted
        result = run(args.rate, args.seconds)
        show(f"budget run ({args.arrivals} arrivals)", result)
        within = (
            result["p95_ms"] < P95_BUDGET_MS
            and result["p99_ms"] < P99_BUDGET_MS
            and result["errors"] == 0
        )
        print(
            f"  budget (p95 < {P95_BUDGET_MS:.0f} ms, p99 < {P99_BUDGET_MS:.0f} ms, no errors) at "
            f"{args.rate:.0f}/s: {'met' if within else 'NOT met'}"
        )
        best, tried = (None, [])
        if args.search_steps:
            known = args.rate if passes(result) else None  # the budget run counts as a step tried
            start = args.rate * 2 if known else args.rate / 2
            best, tried = search_highest(run, start, args.search_steps, args.search_seconds, known)
            print(
                f"  highest rate found with p95 < {P95_BUDGET_MS:.0f} ms and no errors: "
                + (f"{best:.0f}/s" if best else "none of those tried")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    return {
        "database": name,
        "budget_run": result,
        "budget_met": within,
        "highest_rate": best,
        "search": tried,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/crampwise_load",
        help="a database that may be dropped and made anew",
    )
    parser.add_argument(
        "--rate", type=float, default=40.0, help="requests a second of the budget run"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the budget run")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--nights", type=int, default=120)
    parser.add_argument("--arrivals", choices=("poisson", "even"), default="poisson")
    parser.add_argument("--search-steps", type=int, default=6, help="0: no search")
    parser.add_argument("--search-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if args.rate * args.seconds > 20_000 or args.search_steps > 10 or args.seconds > 600:
        raise SystemExit("keep runs bounded: at most 20,000 requests a run, 10 search steps, 600 s")

    databases = {"sqlite": "", "postgres": args.postgres_url}
    chosen = list(databases) if args.database == "both" else [args.database]
    print(
        f"Open-loop morning load, `crampwise serve` defaults, {args.users} people, {CONNECTIONS} client connections"
    )
    results = [
        bench_database("SQLite" if db == "sqlite" else "PostgreSQL", databases[db], args)
        for db in chosen
    ]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
