"""`crampwise report`, `crampwise share` and `crampwise audit`: the doctor's view from the command line.

A report made here is read by whoever runs the server, not by the patient in the app, so it is
audited like any other third-party view (via "command line on the server").
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from crampwise.cli import get_user, migrate_quietly, setup_django

PAPERS = ("a4", "us-letter")


def _date(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-25") from None


def _safe_name(username: str) -> str:
    """A file name for a username: letters, digits, dot, dash and underscore only."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", username).lstrip(".") or "user"


def _init_worker() -> None:
    setup_django()


def _report_job(job: tuple) -> tuple[str, str | None]:
    """One patient's PDF in a worker process: (username, problem or None)."""
    from django.contrib.auth import get_user_model

    user_pk, start, end, paper, out = job
    user = get_user_model().objects.select_related("profile").get(pk=user_pk)
    try:
        _write_report(user, start, end, paper, out)
    except ValueError as exc:  # e.g. a range that does not fit this patient's data
        return user.get_username(), str(exc)
    return user.get_username(), None


def _write_report(user, start, end, paper: str, out: Path) -> None:
    from crampwise.clinician import loading
    from crampwise.clinician.access import Viewer, record
    from crampwise.clinician.core.report_pdf import render_pdf
    from crampwise.clinician.models import AccessEvent

    report = loading.load_report(user, start, end)
    out.write_bytes(render_pdf(report, paper))
    record(Viewer(user, AccessEvent.Via.COMMAND_LINE), AccessEvent.What.PDF)


@click.command()
@click.option("--username", default=None, help="Whose diary (one patient).")
@click.option(
    "--all-patients", is_flag=True, help="One PDF for every patient with a recorded night."
)
@click.option(
    "--from",
    "start",
    default=None,
    callback=_date,
    help="First night (default: 12 weeks before --to).",
)
@click.option(
    "--to",
    "end",
    default=None,
    callback=_date,
    help="Last night (default: the last night that is over).",
)
@click.option(
    "--paper", type=click.Choice(PAPERS), default="a4", show_default=True, help="Paper size."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="PDF file to write (with --username).",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the PDFs, one per patient (with --all-patients).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for --all-patients (default: one per CPU; 1 works in this process).",
)
def report(username, all_patients, start, end, paper, out, out_dir, jobs) -> None:
    """Write the doctor's report as a PDF: for one patient, or for every patient."""
    if bool(username) == bool(all_patients):
        raise click.UsageError(
            "give either --username with --out, or --all-patients with --out-dir"
        )
    if username and out is None:
        raise click.UsageError("--username needs --out FILE.pdf")
    if all_patients and out_dir is None:
        raise click.UsageError("--all-patients needs --out-dir DIR")
    if start and end and end < start:
        raise click.UsageError("--to is before --from")
    setup_django()
    migrate_quietly()
    if username:
        _write_report(get_user(username), start, end, paper, out)
        click.echo(f"wrote {out}", err=True)
        return
    from django.contrib.auth import get_user_model

    patients = list(
        get_user_model()
        .objects.filter(is_active=True, profile__is_clinician=False, nights__isnull=False)
        .distinct()
        .select_related("profile")
        .order_by("username")
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(patients)))
    work = [(u.pk, start, end, paper, out_dir / f"{_safe_name(u.username)}.pdf") for u in patients]
    failed = []
    with click.progressbar(length=len(work), label="Writing reports", file=sys.stderr) as bar:
        if jobs == 1:
            results: Iterator[tuple[str, str | None]] = map(_report_job, work)
            pool = None
        else:
            # Fresh processes ("spawn"), never forked ones: a forked copy would share the parent's
            # database connection and typst's worker threads, neither of which survives a fork.
            from django.db import connections

            connections.close_all()
            pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker)
            results = pool.imap_unordered(_report_job, work, chunksize=4)
        try:
            for name, problem in results:
                if problem:
                    failed.append((name, problem))
                bar.update(1)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    for name, problem in failed:
        click.echo(f"{name}: {problem}", err=True)
    click.echo(f"wrote {len(patients) - len(failed)} reports to {out_dir}", err=True)
    if failed:
        sys.exit(1)


@click.group()
def share() -> None:
    """Make and withdraw share links to a patient's report."""


@share.command("create")
@click.option("--username", required=True)
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 365),
    help="Days until the link stops working.",
)
@click.option(
    "--from",
    "start",
    default=None,
    callback=_date,
    help="First night shown (default: the last 12 weeks, as of each visit).",
)
@click.option("--to", "end", default=None, callback=_date, help="Last night shown (with --from).")
@click.option("--label", default="", help="Who the link is for (shown to the patient).")
@click.option("--json", "as_json", is_flag=True, help="Print the link as JSON.")
def share_create(username, days, start, end, label, as_json) -> None:
    """Make a link and print its URL. The URL is shown once and not stored."""
    setup_django()
    migrate_quietly()
    from django.conf import settings
    from django.urls import reverse

    from crampwise.clinician.services import SharingError, create_share_link

    try:
        link, token = create_share_link(
            get_user(username), days=days, range_from=start, range_to=end, label=label
        )
    except SharingError as exc:
        raise click.ClickException(str(exc)) from None
    url = settings.SITE_URL + reverse("shared_report", args=[token])
    if as_json:
        click.echo(
            json.dumps({"id": link.pk, "url": url, "expires_at": link.expires_at.isoformat()})
        )
    else:
        click.echo(url)
        click.echo(f"works until {link.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@share.command("revoke")
@click.option("--username", required=True)
@click.option(
    "--all", "revoke_all", is_flag=True, help="Withdraw every link of this patient (required)."
)
def share_revoke(username, revoke_all) -> None:
    """Withdraw all of a patient's share links at once."""
    if not revoke_all:
        # Withdrawing one link is done on the patient's Sharing page; here it is all or nothing,
        # so the flag makes the breadth of the command explicit.
        raise click.UsageError("give --all to withdraw every link of this patient")
    setup_django()
    migrate_quietly()
    from crampwise.clinician.services import revoke_all_links

    count = revoke_all_links(get_user(username))
    click.echo(f"withdrew {count} link{'s' if count != 1 else ''} of {username}")


@click.command()
@click.option("--username", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the audit trail as JSON.")
def audit(username, as_json) -> None:
    """Print every view of a patient's data by someone other than the patient, newest first."""
    setup_django()
    migrate_quietly()
    from crampwise.clinician.audit import event_dict
    from crampwise.clinician.models import AccessEvent

    events = AccessEvent.objects.filter(patient=get_user(username))
    if as_json:
        click.echo(json.dumps([event_dict(e) for e in events], ensure_ascii=False, indent=2))
        return
    for e in events:
        who = e.actor_label or "-"
        click.echo(f"{e.at:%Y-%m-%d %H:%M:%S}Z  {e.via:<12}  {e.what:<7}  {who:<20}  {e.ip or '-'}")
