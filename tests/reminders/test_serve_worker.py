"""`crampwise serve` runs one worker beside the server unless --no-worker, and stops it with itself."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.reminders.test_two_workers import worker_env
from tests.reminders.test_worker_command import alive, children, wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def workers_of(pid: int) -> list[int]:
    return [
        c for c in children(pid)
        if b"worker" in Path(f"/proc/{c}/cmdline").read_bytes().split(b"\0")
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("no_worker", [False, True])
def test_serve_starts_a_worker_unless_told_not_to_and_stops_it(tmp_path, no_worker):
    env = worker_env(f"sqlite:///{tmp_path / 'serve.sqlite3'}", tmp_path)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "crampwise.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    server = subprocess.Popen(
        command + (["--no-worker"] if no_worker else []),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: healthy(port))
        if no_worker:
            assert workers_of(server.pid) == []
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            return
        wait_for(lambda: workers_of(server.pid))
        (worker,) = workers_of(server.pid)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=90)
        assert not alive(worker)
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.slow
def test_a_worker_whose_server_was_killed_outright_stops_by_itself(tmp_path):
    """SIGKILL gives serve no chance to stop its worker: the worker sees it was orphaned."""
    env = worker_env(f"sqlite:///{tmp_path / 'killed.sqlite3'}", tmp_path)
    port = free_port()
    command = [sys.executable, "-m", "crampwise.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command + ["--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: healthy(port))
        wait_for(lambda: workers_of(server.pid))
        (worker,) = workers_of(server.pid)
        wait_for(lambda: children(worker))
        queue = children(worker)
        server.kill()
        server.wait(timeout=10)
        wait_for(lambda: not alive(worker), seconds=30)
        assert not any(alive(pid) for pid in queue)
    finally:
        if server.poll() is None:
            server.kill()
