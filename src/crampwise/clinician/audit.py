"""The audit trail as plain data, for the patient's page, the API and `crampwise audit --json`."""

from __future__ import annotations

from crampwise.clinician.models import AccessEvent


def event_dict(event: AccessEvent) -> dict:
    return {
        "at": event.at.isoformat(),
        "via": event.via,
        "what": event.what,
        "who": event.actor_label,
        "share_link": event.share_link_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }


def trail(patient) -> list[dict]:
    """Every third-party view of the patient's data, newest first."""
    return [event_dict(e) for e in AccessEvent.objects.filter(patient=patient)]
