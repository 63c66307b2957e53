"""Writing a series: protocols and their versions, joining, withdrawing, unblinding, finishing.

Every write of a ``Protocol`` or an ``Enrolment`` goes through here, so the page, the API and any
later caller share one set of rules. A patient's trial is created by the trials app's own
``lifecycle.create_trial``, with the protocol's design and a fresh random schedule of its own.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.clinician.access import is_clinician
from crampwise.series.models import (
    CODE_ALPHABET,
    Enrolment,
    PatientResult,
    Protocol,
    SeriesEvent,
)
from crampwise.trials.core.design import BLOCK_SIZES, TrialDesign
from crampwise.trials.core.rules import can_be_blinded
from crampwise.trials.services import catalogue, lifecycle
from crampwise.trials.services.tonight import plan_night

DESIGN_FIELDS = (
    "title", "aims", "remedy_id", "period_nights", "washout_nights", "run_in_nights", "pairs",
    "block_periods", "threshold", "blinded",
)  # fmt: skip


class SeriesError(ValueError):
    """A request the series rules refuse; the message is for the person, ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def series_remedies() -> list:
    """The remedies a protocol may test: the trial catalogue (never quinine), no own remedies."""
    return list(catalogue.catalogue())


def whole_blocks_problem(pairs: int, block_periods: int) -> str | None:
    """Why this many pairs cannot fill whole blocks, in words that say what to choose; else None."""
    if block_periods not in BLOCK_SIZES:
        return _("Choose pairs, blocks of four periods or blocks of six periods.")
    if (2 * pairs) % block_periods == 0:
        return None
    if block_periods == 4:
        return _("With blocks of four periods, choose an even number of pairs.")
    return _("With blocks of six periods, choose a number of pairs that is a multiple of three.")


def _checked(fields: dict) -> dict:
    """The protocol's fields after the same checks as the single-trial wizard, or SeriesError."""
    try:
        remedy = catalogue.offered_remedy(fields["remedy_id"])
    except LookupError:
        remedy = None
    if remedy is None:
        raise SeriesError(_("Choose a remedy from the list."), "remedy_id")
    kind = remedy.trial_kind or "supplement"
    if not str(fields.get("title", "")).strip():
        raise SeriesError(_("Give the protocol a title."), "title")
    block_periods = fields.get("block_periods", 2)
    blocks = whole_blocks_problem(fields["pairs"], block_periods)
    if blocks:
        raise SeriesError(blocks, "block_periods" if block_periods not in BLOCK_SIZES else "pairs")
    try:
        TrialDesign(start=date(2000, 1, 1), seed=0, pairs=fields["pairs"],
                    period_nights=fields["period_nights"],
                    washout_nights=fields["washout_nights"],
                    run_in_nights=fields["run_in_nights"],
                    block_periods=block_periods)  # fmt: skip
    except ValueError:
        raise SeriesError(
            _("The washout must be shorter than a period, with at least one pair of periods."),
            "washout_nights",
        ) from None
    if not 0 < fields["threshold"] <= 1:
        raise SeriesError(_("The worthwhile cut must be between 0% and 100%."), "threshold")
    if fields["blinded"] and not can_be_blinded(kind):
        raise SeriesError(_("Only a trial of capsules can be blinded."), "blinded")
    return {
        **fields,
        "title": fields["title"].strip(),
        "kind": kind,
        "block_periods": block_periods,
    }


def create_protocol(owner, **fields) -> Protocol:
    if not is_clinician(owner):
        raise SeriesError(_("Only a clinician account can write a protocol."))
    return Protocol.objects.create(owner=owner, **_checked(fields))


def _design_of(protocol: Protocol) -> dict:
    return {name: getattr(protocol, name) for name in DESIGN_FIELDS}


def copy_protocol(protocol: Protocol, **changes) -> Protocol:
    """A new, separate series that starts from this protocol (version 1, no patients)."""
    fields = {**_design_of(protocol), **changes}
    return Protocol.objects.create(owner=protocol.owner, **_checked(fields))


def new_version(protocol: Protocol, **changes) -> Protocol:
    """The next version of this protocol; patients already enrolled stay on theirs."""
    fields = {**_design_of(protocol), **changes}
    latest = (
        Protocol.objects.filter(owner=protocol.owner, title=protocol.title)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = max(protocol.version, latest or 0) + 1
    return Protocol.objects.create(
        owner=protocol.owner, parent=protocol, version=version, **_checked(fields)
    )


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


def protocol_for_code(code: str) -> Protocol | None:
    """The open (not finished) protocol with this join code."""
    code = normalise_code(code)
    if not code:
        return None
    return (
        Protocol.objects.select_related("owner")
        .filter(join_code=code, finished_at__isnull=True)
        .first()
    )


def open_enrolment(patient, protocol: Protocol) -> Enrolment | None:
    return Enrolment.objects.filter(
        patient=patient, protocol=protocol, withdrawn_at__isnull=True
    ).first()


def enrol(patient, protocol: Protocol, *, prescriber_agreed: bool = False) -> Enrolment:
    """Join: consent recorded, and a personal trial following the protocol starts tonight.

    Joining twice gives back the same enrolment (a retried request does no harm).
    """
    existing = open_enrolment(patient, protocol)
    if existing is not None:
        return existing
    if protocol.finished:
        raise SeriesError(_("This series is finished. It takes no new people."), "code")
    if patient.pk == protocol.owner_id:
        raise SeriesError(_("You cannot join your own series."), "code")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                trial = lifecycle.create_trial(
                    patient, remedy_id=protocol.remedy_id, kind=protocol.kind,
                    start=plan_night(patient), pairs=protocol.pairs,
                    period_nights=protocol.period_nights, washout_nights=protocol.washout_nights,
                    run_in_nights=protocol.run_in_nights, block_periods=protocol.block_periods,
                    threshold=protocol.threshold,
                    blinded=protocol.blinded, prescriber_agreed=prescriber_agreed,
                )  # fmt: skip
                number = Enrolment.objects.filter(protocol=protocol).count() + 1
                return Enrolment.objects.create(
                    protocol=protocol, patient=patient, trial=trial, code=f"P{number:02d}",
                    consented_at=timezone.now(),
                )  # fmt: skip
        except catalogue.TrialError as error:
            raise SeriesError(str(error), "code") from None
        except IntegrityError:
            # Two people joined at once and took the same number, or a retried join: try again.
            existing = open_enrolment(patient, protocol)
            if existing is not None:
                return existing
    raise SeriesError(_("Joining did not work. Please try again."), "code")


def withdraw(enrolment: Enrolment) -> Enrolment:
    """Take back consent: from now on the owner sees nothing of this patient in the series."""
    with transaction.atomic():
        if enrolment.withdrawn_at is None:
            enrolment.withdrawn_at = timezone.now()
            enrolment.save(update_fields=["withdrawn_at"])
        # The stored copy of their result is the series' data, not theirs to keep: it goes too.
        PatientResult.objects.filter(enrolment=enrolment).delete()
    return enrolment


def unblind(protocol: Protocol, actor) -> Protocol:
    if protocol.blinded and protocol.unblinded_at is None:
        with transaction.atomic():
            protocol.unblinded_at = timezone.now()
            protocol.save(update_fields=["unblinded_at"])
            SeriesEvent.objects.create(
                protocol=protocol, actor=actor, action=SeriesEvent.Action.UNBLIND
            )
    return protocol


def finish(protocol: Protocol, actor) -> Protocol:
    if protocol.finished_at is None:
        with transaction.atomic():
            protocol.finished_at = timezone.now()
            protocol.save(update_fields=["finished_at"])
            SeriesEvent.objects.create(
                protocol=protocol, actor=actor, action=SeriesEvent.Action.FINISH
            )
    return protocol
