from __future__ import annotations

from django.utils import timezone


class TimeZoneMiddleware:
    """Every time a signed-in person sees is in their own zone (templates, dates, forms).

    The database and the API keep UTC instants; only what is shown changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.profile.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
