"""The long reliability run (issue 7): 50 clients posting check-ins and episodes for 60 s against the
production server, on SQLite and on PostgreSQL, then the same with a SIGKILL mid-load.

Prints requests, throughput, 5xx, "database is locked", and acknowledged writes missing afterwards
(all must be zero). The same harness runs shorter in tests/reliability.

    .venv/bin/python benchmarks/reliability.py [--clients 50] [--seconds 60] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.reliability.harness import Server, check_database, make_clients, run_load, server_env


def one_database(label: str, url: str, clients: int, seconds: float) -> None:
    tmp = tempfile.mkdtemp(prefix="cw-reliability-")
    base = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env = server_env(base | {"CRAMPWISE_DATA_DIR": tmp, "CRAMPWISE_DATABASE_URL": url})
    tokens = make_clients(env, clients)
    server = Server(env).start()
    try:
        tally = run_load(server.port, tokens, seconds)
    finally:
        server.stop()
    result = check_database(env, tally, tmp)
    print(
        f"{label}: {clients} clients x {seconds:.0f}s: {tally.requests} requests ({tally.requests / seconds:.0f}/s), "
        f"5xx {tally.server_errors}, locked {tally.locked}, other 4xx {len(tally.other_errors)}, "
        f"lost episodes {len(result['missing_episodes'])}, wrong nights {len(result['wrong_nights'])}, "
        f"integrity {result['integrity']}"
    )
    server = Server(env).start()
    tally = run_load(server.port, tokens, seconds, kill_after=seconds / 2, server=server)
    Server(env).start().stop()
    result = check_database(env, tally, tmp)
    print(
        f"{label} with SIGKILL at {seconds / 2:.0f}s: {tally.requests} acknowledged-or-not requests, "
        f"5xx {tally.server_errors}, lost episodes {len(result['missing_episodes'])}, "
        f"wrong nights {len(result['wrong_nights'])}, integrity {result['integrity']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cw-reliability-db-")
    one_database("SQLite", f"sqlite:///{tmp}/load.sqlite3", args.clients, args.seconds)
    import psycopg

    admin = urlsplit(args.postgres_url)
    name = f"cw_reliability_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        one_database(
            "PostgreSQL", admin._replace(path=f"/{name}").geturl(), args.clients, args.seconds
        )
    finally:
        with psycopg.connect(admin._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
