"""A queued task for the worker tests: it leaves a file behind, so a test can see it ran."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


@task()
def leave_a_mark(path: str) -> None:
    Path(path).write_text("ran")
