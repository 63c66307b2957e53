"""The one-click unsubscribe page for reminder emails (RFC 8058)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from crampwise.reminders.delivery import settings_from_token
from crampwise.reminders.models import ReminderSettings


# No CSRF token: a mail program posts "List-Unsubscribe=One-Click" from outside the site. The signed
# token in the URL is the proof, and all the POST can do is turn reminder emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks to confirm (link checkers open links); POST turns reminder emails off."""
    found = settings_from_token(token)
    if found is None:
        return render(request, "reminders/unsubscribe.html", {"refused": True}, status=400)
    if request.method == "POST":
        ReminderSettings.objects.filter(pk=found.pk).update(email_enabled=False)
        return render(request, "reminders/unsubscribe.html", {"done": True})
    return render(request, "reminders/unsubscribe.html", {"token": token})
