"""Pages of the key's way to the pharmacy: the owner sends or revokes the link; the pharmacy,
without an account, opens it.

The owner's side reuses ``owned_protocol``: anybody else gets the 404 of a series that does not
exist. The pharmacy's page answers a token that does not work with Django's plain 404, the same as
any unknown address, so guessing teaches nothing (a token has 256 random bits).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from crampwise.reminders.delivery import mail_configured
from crampwise.series import pharmacy
from crampwise.series.models import Protocol
from crampwise.series.pharmacy_forms import pharmacy_form
from crampwise.series.views import owned_protocol


def _back_to_series(protocol: Protocol) -> HttpResponse:
    return redirect(reverse("series_detail", args=[protocol.pk]) + "#pharmacy")


@login_required
@require_http_methods(["GET", "POST"])
def send(request, protocol_id):
    """The form on a page of its own: the series page posts here, and errors are shown here."""
    protocol = owned_protocol(request, protocol_id)
    if not pharmacy.can_send(protocol):
        raise Http404("no sealed key to send")
    form = pharmacy_form(protocol, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name, address = form.cleaned_data["pharmacy_name"], form.cleaned_data["email"]
        try:
            pharmacy.send_key(protocol, request.user, name, address)
        except pharmacy.PharmacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The key is on its way to %(name)s (%(email)s). Only they can open it.")
                % {"name": name, "email": address},
            )
            return _back_to_series(protocol)
    return render(request, "series/pharmacy_send.html", {
        "protocol": protocol, "form": form, "mail": mail_configured(),
        "live": pharmacy.live_link(protocol),
    })  # fmt: skip


@login_required
@require_POST
def revoke(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    if not protocol.blinded:
        raise Http404("an open series has no key")
    if pharmacy.revoke(protocol, request.user):
        messages.success(request, _("The pharmacy's link no longer works."))
    return _back_to_series(protocol)


# No CSRF token: the secret token in the address is the proof, a forged press can only show the
# key to whoever already holds it, and the page sends no Referer (so no same-origin check could pass).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def pharmacy_key(request, token: str):
    """The key and the dispensing list, for whoever holds the emailed link.

    The link only asks (GET); the key shows on the press of a button (POST). Mail services open
    links to scan them: that way their copy of the page holds no key, and the owner's "opened"
    count is the pharmacy's own.
    """
    link = pharmacy.find_link(token) if request.method == "GET" else pharmacy.open_link(token)
    if link is None:
        raise Http404("no such page")
    context: dict[str, object]
    if request.method == "GET":
        template, context = "series/pharmacy_open.html", {"link": link}
    else:
        template, context = "series/pharmacy_key.html", {"sheet": pharmacy.key_sheet(link.protocol)}
    response = render(request, template, {**context, "pharmacy_name": link.pharmacy_name})
    # Not kept by a browser or proxy, not indexed, and the token never leaves in a Referer.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
