"""Each look at a series writes one row to every consenting patient's own access trail.

The rows are the clinician grants' ``AccessEvent``, marked as coming through a series: the
patient's Sharing page and ``crampwise audit`` list them with every other view of their data,
under the owner's name.
"""

from __future__ import annotations

from django.utils import timezone

from crampwise.clinician.access import client_ip
from crampwise.clinician.models import AccessEvent
from crampwise.series.models import Protocol

# The series page and the nights CSV show the patient's trial nights and own result.
WHAT = {
    "page": AccessEvent.What.SERIES,
    "csv": AccessEvent.What.SERIES,
    "pdf": AccessEvent.What.PDF,
    "fhir": AccessEvent.What.FHIR,
}


def record_view(protocol: Protocol, request, what: str) -> int:
    """One audit row per patient still enrolled; returns how many were written."""
    patients = list(
        protocol.enrolments.filter(withdrawn_at__isnull=True).values_list("patient_id", flat=True)
    )
    now = timezone.now()
    actor = request.user
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    AccessEvent.objects.bulk_create([
        AccessEvent(patient_id=p, via=AccessEvent.Via.SERIES, what=WHAT[what], actor=actor,
                    actor_label=actor.get_username()[:150], at=now, ip=ip, user_agent=agent)
        for p in patients
    ])  # fmt: skip
    return len(patients)
