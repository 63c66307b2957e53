"""`crampwise worker`: the reminder scheduler and the task queue, until told to stop."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

import click

from crampwise.cli import migrate_quietly, setup_django, stop_worker

log = logging.getLogger(__name__)


def queue_command() -> list[str]:
    """django-tasks-db's own worker, run through its public management command."""
    return [sys.executable, "-m", "crampwise.cli", "manage", "db_worker"]


def watch_parent(parent_pid: int, stop: threading.Event) -> None:
    """A server killed outright cannot stop its worker: the worker notices it was orphaned."""
    while not stop.wait(2.0):
        if os.getppid() != parent_pid:
            log.warning("the server that started this worker is gone; stopping")
            stop.set()


@click.command()
@click.option(
    "--interval",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between scheduler passes (60: at the start of each minute).",
)
@click.option("--once", is_flag=True, help="Run one scheduler pass, print what it did, and stop.")
@click.option("--no-queue", is_flag=True, help="Do not run the task queue beside the scheduler.")
@click.option("--no-migrate", is_flag=True, help="Do not apply database migrations first.")
@click.option(
    "--parent-pid",
    type=int,
    default=None,
    hidden=True,
    help="Stop when this process is gone (`crampwise serve` passes its own id).",
)
def worker(
    interval: float, once: bool, no_queue: bool, no_migrate: bool, parent_pid: int | None
) -> None:
    """Send reminders when they fall due and run queued background tasks, until SIGTERM."""
    setup_django()
    from django.conf import settings

    from crampwise.backup import BackupError, serving

    try:
        # Held while the worker runs, so `crampwise restore` cannot swap the database beneath it.
        with serving(settings.DATA_DIR, "the worker"):
            _work(interval, once, no_queue, no_migrate, parent_pid)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


def _work(
    interval: float, once: bool, no_queue: bool, no_migrate: bool, parent_pid: int | None
) -> None:
    from crampwise.reminders.worker import run_pass, run_scheduler

    if not no_migrate:
        migrate_quietly()
    if once:
        report = run_pass()
        click.echo(
            f"{report.people} people due: {report.sent} sent, {report.skipped} skipped, "
            f"{report.dropped} dropped, {report.failed} failed"
        )
        return

    stop = threading.Event()

    def on_signal(signum, frame) -> None:
        # Finish the pass in hand (its claims are sent), then stop.
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Its own session: a Ctrl+C in the terminal reaches only this process, which then stops the
    # queue once (a second signal would make db_worker abandon the task it is running).
    child = None if no_queue else subprocess.Popen(queue_command(), start_new_session=True)
    if parent_pid is not None:
        threading.Thread(target=watch_parent, args=(parent_pid, stop), daemon=True).start()
    click.echo("crampwise worker is running (SIGTERM or Ctrl+C to stop)", err=True)
    try:
        run_scheduler(stop, interval)
    finally:
        if child is not None:
            stop_worker(child)  # the queue finishes the task it holds
    click.echo("crampwise worker stopped", err=True)
