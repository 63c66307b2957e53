"""Load against the production server: many clients writing check-ins and episodes at once.

Used by tests/reliability (short runs) and benchmarks/reliability.py (50 clients for 60 s). Every
write the server acknowledges (2xx) is remembered, so that afterwards the database can be checked
for each of them: nothing acknowledged may be lost, not even when the server is killed.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

CRAMPWISE = [sys.executable, "-m", "crampwise.cli"]

SETUP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from crampwise.api.tokens import create_token
out = []
for i in range(int(sys.argv[1])):
    user = get_user_model().objects.create_user(f"load{i}", password=None)
    out.append(create_token(user, "load", "read-write")[1])
print(json.dumps(out))
"""

CHECK = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.db import connection
from crampwise.diary.models import Episode, Night
acked = json.load(open(sys.argv[1]))
have_eps = set(str(x) for x in Episode.objects.values_list("id", flat=True))
missing_eps = [e for e in acked["episodes"] if e not in have_eps]
nights = {(n.user.username, n.night.isoformat()): n.reported_cramps for n in Night.objects.select_related("user")}
# A write sent after the last acknowledged one may have landed without its answer (the server was
# killed in between): the stored value must be the acknowledged one or one of those later tries.
wrong_nights = [k for k, v in acked["nights"].items()
                if nights.get(tuple(k.split("|"))) not in [v, *acked["unanswered"].get(k, [])]]
integrity = "ok"
if connection.vendor == "sqlite":
    with connection.cursor() as c:
        c.execute("PRAGMA integrity_check"); integrity = c.fetchone()[0]
print(json.dumps({"missing_episodes": missing_eps, "wrong_nights": wrong_nights, "integrity": integrity,
                  "episodes": len(have_eps)}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(base_env: dict) -> dict:
    # The API's throttles would turn this test's traffic (one IP, heavy use) into 429s.
    return base_env | {
        "CRAMPWISE_API_RATE_PER_TOKEN": "1000000/min",
        "CRAMPWISE_API_RATE_PER_IP": "1000000/min",
        "CRAMPWISE_LOG_LEVEL": "WARNING",
    }


def make_clients(env: dict, n: int) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SETUP, str(n)], env=env, capture_output=True, text=True, timeout=300
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    def __init__(self, env: dict, workers: int = 2) -> None:
        self.env, self.workers, self.port = env, workers, free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        # A session of its own, so that the whole process group (master and workers) can be killed.
        self.proc = subprocess.Popen(
            [*CRAMPWISE, "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        end = time.time() + 60
        while time.time() < end:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    server_errors: int = 0
    locked: int = 0
    other_errors: list = field(default_factory=list)
    episodes: list = field(default_factory=list)
    nights: dict = field(default_factory=dict)  # "user|night" -> cramps last acknowledged
    unanswered: dict = field(
        default_factory=dict
    )  # "user|night" -> values sent since, without an answer

    def to_json(self) -> dict:
        return {"episodes": self.episodes, "nights": self.nights, "unanswered": self.unanswered}


def client_loop(
    port: int, index: int, token: str, stop_at: float, tally: Tally, stop_event: threading.Event
) -> None:
    username = f"load{index}"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while time.time() < stop_at and not stop_event.is_set():
        n += 1
        if n % 2:
            episode_id = str(uuid.uuid4())
            started = (datetime.now(UTC) - timedelta(minutes=n % 600)).isoformat()
            method, path, body = (
                "POST",
                "/api/v1/episodes",
                {"id": episode_id, "started_at": started},
            )
        else:
            night = (date(2025, 1, 1) + timedelta(days=n % 300)).isoformat()
            cramps = n % 7
            method, path, body = "PUT", f"/api/v1/nights/{night}", {"cramps": cramps}
            with tally.lock:
                tally.unanswered.setdefault(f"{username}|{night}", []).append(cramps)
        try:
            conn.request(method, path, json.dumps(body), headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            # The server went away (killed on purpose) or the connection dropped: not acknowledged.
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            time.sleep(0.05)
            continue
        with tally.lock:
            tally.requests += 1
            if "database is locked" in text:
                tally.locked += 1
            if response.status >= 500:
                tally.server_errors += 1
            elif 200 <= response.status < 300:
                if method == "POST":
                    tally.episodes.append(episode_id)
                else:
                    tally.nights[f"{username}|{night}"] = cramps
                    tally.unanswered[f"{username}|{night}"] = []
            elif len(tally.other_errors) < 20:
                tally.other_errors.append((response.status, text[:200]))


def run_load(
    port: int,
    tokens: list[str],
    seconds: float,
    kill_after: float | None = None,
    server: Server | None = None,
) -> Tally:
    tally, stop_event = Tally(), threading.Event()
    stop_at = time.time() + seconds
    threads = [
        threading.Thread(
            target=client_loop, args=(port, i, t, stop_at, tally, stop_event), daemon=True
        )
        for i, t in enumerate(tokens)
    ]
    for t in threads:
        t.start()
    if kill_after is not None and server is not None:
        time.sleep(kill_after)
        server.kill()  # SIGKILL, mid-load: no chance to flush or close anything
        stop_event.set()
    for t in threads:
        t.join(timeout=seconds + 60)
    return tally


def check_database(env: dict, tally: Tally, tmp_dir) -> dict:
    acked = os.path.join(tmp_dir, "acked.json")
    with open(acked, "w") as handle:
        json.dump(tally.to_json(), handle)
    out = subprocess.run(
        [sys.executable, "-c", CHECK, acked], env=env, capture_output=True, text=True, timeout=300
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])
