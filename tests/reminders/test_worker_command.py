"""`crampwise worker` sends what falls due while it runs and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reminders.pushservice import FakePushService, Subscriber
from tests.reminders.test_two_workers import SETUP, worker_env

ENQUEUE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from tests.reminders.queued import leave_a_mark
leave_a_mark.enqueue(sys.argv[1])
"""


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    """Running (a process that has exited but is not yet reaped counts as gone)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return state != "Z"


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.slow
def test_the_worker_sends_due_reminders_runs_queued_tasks_and_stops_cleanly_on_sigterm(tmp_path):
    env = worker_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}", tmp_path)
    browser = Subscriber()
    with FakePushService() as service:
        sub = {"endpoint": service.endpoint("b"), "p256dh": browser.p256dh, "auth": browser.auth}
        setup = subprocess.run([sys.executable, "-c", SETUP], input=json.dumps([sub]), env=env,
                               capture_output=True, text=True, timeout=300)  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        mark = tmp_path / "queued-task-ran"
        enqueue = subprocess.run([sys.executable, "-c", ENQUEUE, str(mark)], env=env,
                                 capture_output=True, text=True, timeout=300)  # fmt: skip
        assert enqueue.returncode == 0, enqueue.stderr
        worker = subprocess.Popen(
            [sys.executable, "-m", "crampwise.cli", "worker", "--interval", "1"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            wait_for(lambda: service.received_by("b"))
            assert browser.decrypt(service.received_by("b")[0].body)["url"] == "/tonight/"
            wait_for(mark.exists)  # the task queue runs beside the scheduler
            queue = children(worker.pid)
            worker.send_signal(signal.SIGTERM)
            _out, err = worker.communicate(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
    assert worker.returncode == 0, err
    assert "crampwise worker stopped" in err
    assert not any(alive(pid) for pid in queue)
    assert len(service.received) == 1  # one reminder, sent once, however many passes ran
