"""What a patient's own trial page shows about the series the trial belongs to."""

from __future__ import annotations

from typing import Any

from crampwise.series.models import Enrolment
from crampwise.series.summary import series_summary


def series_note(trial) -> dict[str, Any] | None:
    """The series' title and, once it is finished (and unblinded, if blinded), the pooled words."""
    enrolment = (
        Enrolment.objects.filter(trial=trial, withdrawn_at__isnull=True)
        .select_related("protocol")
        .first()
    )
    if enrolment is None:
        return None
    protocol = enrolment.protocol
    words: tuple[str, ...] = ()
    # A sealed key's pooled answer compares pack letters, which mean nothing to a patient.
    if protocol.finished and not protocol.key_sealed:
        words = series_summary(protocol).words
    return {"title": protocol.title, "words": words}


def in_blinded_series(trial) -> bool:
    """Whether the trial belongs to a blinded series whose key is still sealed."""
    return Enrolment.objects.filter(
        trial=trial, protocol__blinded=True, protocol__unblinded_at__isnull=True
    ).exists()
