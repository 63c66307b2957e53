from django.http import HttpResponse
from django.urls import path

from crampwise.urls import urlpatterns as product_urls


def bare(request):
    """A reference: a fixed response, through exactly the same middleware as every page."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare", bare),
    *product_urls,
]
