"""HTTP benchmark of the diary on the production server (`crampwise serve`).

A user with 3 years of nights; wrk (Debian's package) drives, in one run:
  - GET /bench/bare: a fixed response through the same middleware (the baseline),
  - POST the morning check-in (a real write of one night, rotating over the 3 years),
  - GET /history/ (the month calendar).
Prints requests per second, p50 and p95 latency, and the check-in's throughput as a ratio of the
baseline. Goals (issue 2): check-in >= 50% of the bare view's throughput; history p95 < 50 ms.

Run: .venv/bin/python benchmarks/http_diary.py [--seconds 10] [--connections 8] [--database-url URL]
Needs: apt-get install wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHECKIN_LUA = """
local nights = {%(nights)s}
local i = 0
request = function()
  i = i + 1
  local night = nights[(i %% #nights) + 1]
  return wrk.format("POST", "/history/" .. night .. "/edit/", nil, body)
end
"""
COMMON_LUA = """
wrk.headers["Cookie"] = "sessionid=%(session)s; csrftoken=%(csrf)s"
wrk.headers["X-CSRFToken"] = "%(csrf)s"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
body = "cramps=2&worst_pain=6&minutes_awake=10&sleep_quality=3&soreness=1&f_stretched=yes&f_alcohol_units=1&f_fluid_glasses=6"
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50_ms\\": %%f, \\"p95_ms\\": %%f, \\"p99_ms\\": %%f, \\"errors\\": %%d, \\"non_2xx_3xx\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"server did not answer {url}")


def make_session(env: dict, username: str) -> str:
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.contrib.auth import get_user_model\n"
        f"c = Client(); c.force_login(get_user_model().objects.get(username={username!r}))\n"
        "print(c.cookies['sessionid'].value)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def run_wrk(url: str, script: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", handle.name, url],
        capture_output=True, text=True, check=True,
    )
    os.unlink(handle.name)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="", help="default: SQLite in a fresh data dir")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    data = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    env = {**os.environ, "CRAMPWISE_DATA_DIR": str(data), "CRAMPWISE_DATABASE_URL": args.database_url,
           "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(HERE)}
    crampwise = [sys.executable, "-m", "crampwise.cli"]
    subprocess.run([*crampwise, "demo", "--username", "bench", "--nights", "1096", "--seed", "7"],
                   env=env, check=True, capture_output=True)
    session = make_session(env, "bench")
    csrf = secrets.token_hex(16)
    port = free_port()
    server = subprocess.Popen([*crampwise, "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        common = COMMON_LUA % {"session": session, "csrf": csrf}
        today = date.today()
        nights = ",".join(f'"{(today - timedelta(days=2 + i)).isoformat()}"' for i in range(1000))
        run_wrk(base + "/bench/bare", common, 2, args.connections)  # warm-up
        bare = run_wrk(base + "/bench/bare", common, args.seconds, args.connections)
        checkin = run_wrk(base + "/", common + CHECKIN_LUA % {"nights": nights}, args.seconds, args.connections)
        history = run_wrk(base + "/history/", common, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    db = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"HTTP benchmark on {db}, {args.workers} gunicorn workers x 4 threads, wrk {args.connections} connections, {args.seconds}s each")
    for name, r in (("bare view (baseline)", bare), ("check-in POST", checkin), ("history GET", history)):
        print(f"  {name:22s} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms   errors {r['errors']}")
    ratio = checkin["rps"] / bare["rps"]
    print(f"  check-in throughput / bare view = {ratio:.2f} (goal >= 0.50)")
    print(f"  history p95 = {history['p95_ms']:.1f} ms (goal < 50 ms)")
    out = HERE / "results" / f"http_diary_{db.lower()}.json"
    out.write_text(json.dumps({"database": db, "bare": bare, "checkin": checkin, "history": history,
                               "checkin_over_bare": ratio}, indent=2))


if __name__ == "__main__":
    main()
