"""The scheduler's pass: find who is due, claim each reminder once, send it, move on.

Exactly once, across any number of workers: a reminder is claimed by inserting its ``Delivery``
row (unique per person, kind and night) in the same transaction that moves the person's
``next_due_at`` on. A second worker's insert fails on the unique constraint, so it never sends.
On PostgreSQL the people's rows are also locked with ``SKIP LOCKED``, so two workers split the
due people between them instead of queueing on each other; SQLite takes one writer at a time.

At most once after the claim: sending happens after the claim has committed. A worker that dies
between the two leaves the row ``claimed`` and nobody sends it again; a lost reminder is better
than a doubled one, and the ledger shows it. See docs/reminders.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from crampwise.clinician import summaries
from crampwise.diary.models import Night
from crampwise.reminders import delivery
from crampwise.reminders.core.schedule import Kind, dues_between, next_due, too_late
from crampwise.reminders.messages import Message, checklist_sentence, message_for
from crampwise.reminders.models import Delivery, PushSubscription, ReminderSettings
from crampwise.reminders.services import plan_for, running_trials
from crampwise.series import rows as series_rows
from crampwise.trials.models import Trial

log = logging.getLogger(__name__)

# People claimed per transaction: a burst (everyone at 22:00) is worked through in batches, so a
# lock is never held for long and another worker can take the next batch.
BATCH = 500
# Pushes in flight at once per worker: each mostly waits on the push service.
SEND_THREADS = 8
# How far back a worker that was stopped records missed reminders as dropped.
LOOK_BACK = timedelta(days=1)
Status = Delivery.Status


@dataclass
class PassReport:
    people: int = 0
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    dropped: int = 0
    failed: int = 0
    subscriptions_removed: int = 0
    finding_seconds: list[float] = field(default_factory=list)

    def add(self, other: PassReport) -> None:
        for name in ("people", "claimed", "sent", "skipped", "dropped", "failed",
                     "subscriptions_removed"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.finding_seconds += other.finding_seconds


def _insert_one(row: Delivery) -> Delivery | None:
    try:
        with transaction.atomic():  # a savepoint: a clash must not undo the other claims
            row.save(force_insert=True)
            return row
    except IntegrityError:
        return None


def _insert(rows: list[Delivery]) -> list[Delivery]:
    """Claim these reminders; leaves out any claimed (or dropped) before, by anyone."""
    if not rows:
        return []
    taken = set(
        Delivery.objects.filter(
            user_id__in={r.user_id for r in rows}, night__in={r.night for r in rows}
        ).values_list("user_id", "kind", "night")
    )
    fresh = [r for r in rows if (r.user_id, r.kind, r.night) not in taken]
    try:
        with transaction.atomic():
            return Delivery.objects.bulk_create(fresh)
    except IntegrityError:
        # Claimed by another worker since the look above (SQLite without row locks, or a
        # reschedule racing a pass): one at a time, so each clash drops only its own row.
        for row in fresh:
            row.pk = None
        return [made for row in fresh if (made := _insert_one(row)) is not None]


def claim(now: datetime, batch: int = BATCH) -> tuple[list[Delivery], PassReport]:
    """Claim what is due for up to ``batch`` people and move their ``next_due_at`` past now."""
    report = PassReport()
    claimed: list[Delivery] = []
    with transaction.atomic():
        rows = ReminderSettings.objects.filter(next_due_at__lte=now).order_by("next_due_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        people = list(rows.select_related("user__profile")[:batch])
        trials = running_trials(row.user_id for row in people)
        after_now = now + timedelta(microseconds=1)
        wanted = []
        for row in people:
            plan = plan_for(row, row.user.profile, trials.get(row.user_id))
            assert row.next_due_at is not None  # the filter above
            for due in dues_between(plan, max(row.next_due_at, now - LOOK_BACK), now):
                late = too_late(due.at, now)
                wanted.append(
                    Delivery(
                        user_id=row.user_id, kind=str(due.kind), night=due.night, due_at=due.at,
                        status=Status.DROPPED if late else Status.CLAIMED, claimed_at=now,
                        finished_at=now if late else None,
                    )
                )  # fmt: skip
            upcoming = next_due(plan, after_now)
            row.next_due_at = upcoming.at if upcoming else None
        for made in _insert(wanted):
            if made.status == Status.DROPPED:
                report.dropped += 1
            else:
                claimed.append(made)
        _move_on(people)
    report.people, report.claimed = len(people), len(claimed)
    return claimed, report


def _move_on(people: list[ReminderSettings]) -> None:
    """Save each person's new ``next_due_at``: one UPDATE per distinct instant (people due in the
    same minute are mostly due again at the same minute tomorrow)."""
    by_instant: dict[datetime | None, list[int]] = defaultdict(list)
    for row in people:
        by_instant[row.next_due_at].append(row.pk)
    for instant, pks in by_instant.items():
        ReminderSettings.objects.filter(pk__in=pks).update(next_due_at=instant)


@dataclass
class _Job:
    row: Delivery
    message: Message
    targets: list[delivery.Target]
    by_email: bool
    user: object = None


def _checked_in(claims: list[Delivery]) -> set[tuple[int, object]]:
    mornings = [c for c in claims if c.kind == Kind.MORNING]
    if not mornings:
        return set()
    found = Night.objects.filter(
        user_id__in={c.user_id for c in mornings},
        night__in={c.night for c in mornings},
        checked_in_at__isnull=False,
    ).values_list("user_id", "night")
    return set(found)


def _finish(row: Delivery, status: str, now: datetime, channels: str = "") -> None:
    row.status, row.finished_at, row.channels = status, now, channels


def send(
    claims: list[Delivery], report: PassReport | None = None, now: datetime | None = None
) -> PassReport:
    """Send claimed reminders (web push in parallel, then email) and record how each went.

    ``now`` (default: the clock) decides which claims have become too late on the way.
    """
    report = report or PassReport()
    if not claims:
        return report
    user_ids = {c.user_id for c in claims}
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=user_ids)
        .select_related("profile", "reminder_settings")
    }
    targets: dict[int, list[delivery.Target]] = defaultdict(list)
    for sub in PushSubscription.objects.filter(user_id__in=user_ids):
        targets[sub.user_id].append(delivery.Target(sub.pk, sub.endpoint, sub.p256dh, sub.auth))
    checked_in = _checked_in(claims)
    in_a_trial = set(Trial.objects.filter(owner_id__in=user_ids).values_list("owner_id", flat=True))
    mail_ok = delivery.mail_configured()
    now = now or timezone.now()
    jobs: list[_Job] = []
    for row in claims:
        user = users.get(row.user_id)
        if user is None:  # the account was deleted since the claim (its rows went with it)
            _finish(row, Status.SKIPPED, now)
        elif too_late(row.due_at, now):
            _finish(row, Status.DROPPED, now)
        elif row.kind == Kind.MORNING and (row.user_id, row.night) in checked_in:
            _finish(row, Status.SKIPPED, now)
        else:
            wanted = getattr(user, "reminder_settings", None)
            by_email = bool(mail_ok and wanted and wanted.email_enabled and user.email)
            mine = targets.get(row.user_id, [])
            if not mine and not by_email:
                _finish(row, Status.SKIPPED, now)
            else:
                message = message_for(user, row.kind, row.night, row.user_id in in_a_trial)
                jobs.append(_Job(row, message, mine, by_email, user))

    pushes = [(job, target) for job in jobs for target in job.targets]
    with ThreadPoolExecutor(max_workers=SEND_THREADS) as pool:
        results = list(pool.map(lambda pair: delivery.push(pair[1], pair[0].message), pushes))
    pushed: dict[int, list[delivery.PushResult]] = defaultdict(list)
    for (job, _target), result in zip(pushes, results, strict=True):
        pushed[job.row.pk].append(result)

    mailed: set[int] = set()
    letters = [(job, delivery.email(job.user, job.message)) for job in jobs if job.by_email]
    if letters:
        try:
            with get_connection() as mail:
                for job, letter in letters:
                    letter.connection = mail
                    if letter.send():
                        mailed.add(job.row.pk)
        except Exception:  # an SMTP server that is down or refuses: push may still have gone
            log.exception("could not send reminder email")

    finished = timezone.now()
    for job in jobs:
        outcomes = pushed.get(job.row.pk, [])
        good = sum(1 for r in outcomes if r.ok)
        channels = []
        if outcomes:
            channels.append(f"push {good}/{len(outcomes)}")
        if job.by_email:
            channels.append("email" if job.row.pk in mailed else "email failed")
        ok = good > 0 or job.row.pk in mailed
        _finish(job.row, Status.SENT if ok else Status.FAILED, finished, ", ".join(channels))

    outcome: dict[tuple, list[int]] = defaultdict(list)
    for row in claims:
        outcome[(row.status, row.finished_at, row.channels)].append(row.pk)
    # One UPDATE per distinct outcome (a handful): bulk_update's CASE per row costs far more.
    for (status, finished_at, channels), pks in outcome.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=status, finished_at=finished_at, channels=channels
        )
    gone = [r.target.id for rs in pushed.values() for r in rs if r.gone]
    if gone:
        report.subscriptions_removed += PushSubscription.objects.filter(pk__in=gone).delete()[0]
    reached = [r.target.id for rs in pushed.values() for r in rs if r.ok]
    if reached:
        PushSubscription.objects.filter(pk__in=reached).update(last_sent_at=finished)
    for row in claims:
        if row.status == Status.SENT:
            report.sent += 1
        elif row.status == Status.SKIPPED:
            report.skipped += 1
        elif row.status == Status.DROPPED:
            report.dropped += 1
        elif row.status == Status.FAILED:
            report.failed += 1
    return report


def run_pass(
    now: datetime | None = None, batch: int = BATCH, stopping: Callable[[], bool] = lambda: False
) -> PassReport:
    """One pass of the scheduler: claim and send batch after batch until nobody is due.

    ``stopping`` is asked between batches: a worker told to stop sends what it has claimed, then
    leaves the rest to the next worker.
    """
    total = PassReport()
    while True:
        moment = now or timezone.now()
        started = time.perf_counter()
        claims, report = claim(moment, batch)
        report.finding_seconds.append(time.perf_counter() - started)
        send(claims, report, now)
        total.add(report)
        if report.people < batch or stopping():
            return total


def warm_up() -> None:
    """Load the VAPID key and the URL map before the first reminder is due, not while it waits."""
    delivery.vapid.keys()
    reverse("tonight")
    checklist_sentence()


SERIES_EVERY_PASSES = 10


def run_scheduler(stop: threading.Event, interval: float = 60.0) -> None:
    """Run a pass at the start of every interval (each minute, on the clock) until ``stop``."""
    warm_up()
    passes = 0
    while not stop.is_set():
        try:
            report = run_pass(stopping=stop.is_set)
            if report.claimed or report.dropped:
                log.info(
                    "reminders: %d sent, %d skipped, %d dropped, %d failed",
                    report.sent, report.skipped, report.dropped, report.failed,
                )  # fmt: skip
        except Exception:  # the database restarting, say: log it and try again next minute
            log.exception("the reminder pass failed")
        # Reminders first: they are due now; the stored figures can wait a minute. Series rows
        # go stale when a night is over, so every tenth pass (its search reads every enrolment).
        refreshes = [("the worklist figures", summaries.refresh_stale)]
        if passes % SERIES_EVERY_PASSES == 0:
            refreshes.append(("the series rows", series_rows.refresh_stale))
        passes += 1
        for name, refresh in refreshes:
            try:
                refresh()
            except Exception:
                log.exception("refreshing %s failed", name)
        close_old_connections()
        stop.wait(interval - (time.time() % interval))
