"""The pharmacy part of the series page, without touching the page's view: the partial asks for
its own state, so the series page's cached figures and its view stay as they are."""

from __future__ import annotations

from django import template

from crampwise.reminders.delivery import mail_configured
from crampwise.series import pharmacy
from crampwise.series.models import Protocol
from crampwise.series.pharmacy_forms import pharmacy_form

register = template.Library()


@register.simple_tag
def pharmacy_state(protocol: Protocol) -> dict:
    """What the owner's page shows of the pharmacy's link: who it went to, never the link."""
    if not protocol.blinded:
        return {"shown": False}
    link = pharmacy.last_link(protocol)
    return {
        "shown": True,
        "can_send": pharmacy.can_send(protocol),
        "mail": mail_configured(),
        "link": link,
        "earlier": pharmacy.earlier_links(protocol, link),
        "form": pharmacy_form(protocol, last=link),
    }
