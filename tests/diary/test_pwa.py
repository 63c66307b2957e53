"""The installable app: a service worker for the whole site, a manifest, an offline page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_with_site_scope(client):
    """/sw.js may control every page and is never cached stale."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b"crampwise-outbox" in response.content


def test_the_manifest_uses_only_our_own_assets(client):
    """Start URL, scope and icons are on this site."""
    data = client.get("/manifest.webmanifest").json()
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert all(icon["src"].startswith("/static/") for icon in data["icons"])


def test_the_offline_page_explains_what_still_works(client):
    """The fallback page says entries are kept on the phone."""
    assert "kept on this phone" in client.get("/offline/").content.decode()
