from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from crampwise.urls import urlpatterns as product_urls


def bare(request):
    """The baseline: a fixed response, through exactly the same middleware as every page."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def bare_signed_in(request):
    """A reference, not the baseline: the same fixed response, after loading the session and user."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
@require_POST
def signed_in_post(request):
    """A reference, not the baseline: what every signed-in form POST costs before any work.

    The session and user are loaded, the CSRF token checked and the form body parsed, as for the
    check-in; nothing is read or saved, and the answer is the same redirect the check-in gives.
    """
    request.POST.get("cramps")
    return HttpResponseRedirect("/history/")


urlpatterns = [
    path("bench/bare", bare),
    path("bench/bare-signed-in", bare_signed_in),
    path("bench/signed-in-post", signed_in_post),
    *product_urls,
]
