from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from crampwise.urls import urlpatterns as product_urls


def bare(request):
    """The baseline: a fixed response, through exactly the same middleware as every page."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def bare_signed_in(request):
    """A reference, not the baseline: the same fixed response, after loading the session and user."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), path("bench/bare-signed-in", bare_signed_in), *product_urls]
