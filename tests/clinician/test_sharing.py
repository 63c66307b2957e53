"""Share links, clinician codes and grants, and the patient's view of who saw what."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crampwise.clinician import services
from crampwise.clinician.models import AccessEvent, ClinicianCode, Grant, ShareLink
from crampwise.clinician.tokens import (
    CODE_ALPHABET,
    format_code,
    hash_token,
    looks_like_code,
    normalise_code,
)

pytestmark = pytest.mark.django_db


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_a_new_link_is_shown_once_and_only_its_hash_is_stored(owner_client, owner):
    """The page shows the URL once; the database holds its SHA-256 and never the token."""
    response = owner_client.post(reverse("share_link_create"), {"days": "30", "label": "Dr Smith"})
    assert response.status_code == 201
    url = response.context["new_link_url"]
    token = token_of(url)
    assert len(token) >= 43 and url.startswith("http://testserver/s/")
    link = ShareLink.objects.get(owner=owner)
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    for value in ShareLink.objects.values_list().get(pk=link.pk):
        assert token not in str(value)
    assert "new_link_url" not in owner_client.session.keys()
    again = owner_client.get(reverse("sharing")).content.decode()
    assert token not in again and "Dr Smith" in again


def test_a_link_lasts_30_days_by_default_and_shows_the_last_12_weeks(alice_diary):
    """Default expiry, and no fixed dates: the period follows the day it is opened."""
    link, _token = services.create_share_link(alice_diary)
    assert abs((link.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)
    assert link.range_from is None and link.range_to is None


def test_a_link_with_fixed_dates_shows_exactly_those_nights(client, alice_diary):
    """The shared page covers the link's period, whatever the query string asks."""
    from crampwise.clinician.loading import last_night

    end = last_night(alice_diary) - timedelta(days=7)
    start = end - timedelta(days=6)
    _link, token = services.create_share_link(alice_diary, range_from=start, range_to=end)
    response = client.get(reverse("shared_report", args=[token]) + "?start=2000-01-01")
    report = response.context["report"]
    assert (report["range"]["from"], report["range"]["to"]) == (start.isoformat(), end.isoformat())
    assert len(report["nights"]) == 7


@pytest.mark.parametrize(
    "data,problem",
    [
        ({"days": "0"}, "days"),
        ({"days": "400"}, "days"),
        ({"days": "30", "range_from": "2026-01-01"}, None),
        ({"days": "30", "range_from": "2026-02-01", "range_to": "2026-01-01"}, None),
    ],
)
def test_the_link_form_refuses_bad_answers_and_makes_no_link(owner_client, owner, data, problem):
    """400 with the reason; nothing stored."""
    response = owner_client.post(reverse("share_link_create"), data)
    assert response.status_code == 400
    form = response.context["link_form"]
    assert (problem in form.errors) if problem else form.non_field_errors()
    assert not ShareLink.objects.filter(owner=owner).exists()


def test_withdrawing_a_link_stops_it_at_once(owner_client, client, link):
    """After the owner withdraws it, the next visit is 404."""
    made, token = link
    assert owner_client.post(reverse("share_link_revoke", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None
    owner_client.logout()
    assert client.get(reverse("shared_report", args=[token])).status_code == 404


def test_a_dead_links_token_is_not_written_to_the_log(client, expired_link, caplog):
    """Django logs 404s with their path; the share views keep the token out of it."""
    _made, token = expired_link
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("shared_report", args=[token]))
        client.get(reverse("shared_report_pdf", args=[token]))
        client.get(reverse("shared_report", args=["guessed-token"]))
    assert token not in caplog.text and "guessed-token" not in caplog.text


def test_the_clinician_code_is_stable_readable_and_unique(clinician, other_clinician):
    """Made once, 8 unambiguous characters, different between clinicians."""
    first = services.clinician_code(clinician)
    assert services.clinician_code(clinician).code == first.code
    assert len(first.code) == 8 and set(first.code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert services.clinician_code(other_clinician).code != first.code


def test_the_clinician_sees_their_code_on_their_page(client, clinician):
    """Shown as ABCD-EFGH."""
    client.force_login(clinician)
    html = client.get(reverse("clinician_home")).content.decode()
    assert format_code(ClinicianCode.objects.get(clinician=clinician).code) in html


def test_a_patient_grants_access_by_typing_the_code_in_any_case(owner_client, owner, clinician):
    """Lower case, spaces and a dash are fine; the clinician then sees the patient."""
    code = services.clinician_code(clinician).code
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    response = owner_client.post(reverse("grant_create"), {"code": typed}, follow=True)
    assert "dr_carol can now see your report." in response.content.decode()
    grant = Grant.objects.get(patient=owner)
    assert grant.clinician == clinician and grant.active
    again = owner_client.post(reverse("grant_create"), {"code": code}, follow=True)
    assert "could already see your report" in again.content.decode()
    assert Grant.objects.filter(patient=owner).count() == 1


@pytest.mark.parametrize("case", ["malformed", "unknown", "own", "not_a_clinician"])
def test_a_wrong_code_is_refused_with_a_reason(
    client, request, owner, other_patient, clinician, case
):
    """Each mistake gets a plain message and grants nothing."""
    from crampwise.clinician.models import ClinicianCode

    patient = clinician if case == "own" else owner
    code = {
        "malformed": "12",
        "unknown": "ABCDEFGH",
        "own": services.clinician_code(clinician).code,
    }.get(case)
    if case == "not_a_clinician":
        code = ClinicianCode.objects.create(clinician=other_patient, code="XYZWVUTS").code
    client.force_login(patient)
    response = client.post(reverse("grant_create"), {"code": code})
    assert response.status_code == 400 and response.context["grant_form"].errors["code"]
    assert not Grant.objects.exists()


def test_a_patient_sees_who_has_access_and_can_withdraw_it_at_once(
    owner_client, grant, clinician, client
):
    """The clinician is listed with a button; after it, the clinician's URL is 404."""
    html = owner_client.get(reverse("sharing")).content.decode()
    assert "dr_carol" in html and reverse("grant_revoke", args=[grant.pk]) in html
    owner_client.post(reverse("grant_revoke", args=[grant.pk]))
    client.force_login(clinician)
    assert client.get(reverse("clinician_report", args=[grant.pk])).status_code == 404
    assert "alice" not in client.get(reverse("clinician_home")).content.decode()


def test_the_patient_sees_every_third_party_view_on_the_sharing_page(
    client, link, grant, clinician, owner
):
    """Link and clinician views appear with who, what and from where."""
    _made, token = link
    client.get(reverse("shared_report_pdf", args=[token]), HTTP_USER_AGENT="DoctorBrowser/1.0")
    client.force_login(clinician)
    client.get(reverse("clinician_report", args=[grant.pk]))
    client.force_login(owner)
    html = client.get(reverse("sharing")).content.decode()
    assert "Someone with your link" in html and "Dr Smith" in html and "PDF report" in html
    assert "DoctorBrowser/1.0" in html and "report page" in html and "dr_carol" in html
    assert AccessEvent.objects.count() == 2


def test_behind_a_proxy_the_audit_takes_the_address_the_proxy_saw(client, link, settings):
    """Only the last X-Forwarded-For entry counts: earlier ones can be forged by the client."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    _made, token = link
    client.get(
        reverse("shared_report_pdf", args=[token]), HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert AccessEvent.objects.get().ip == "203.0.113.9"


def test_codes_are_normalised_and_checked():
    """Typing variants reduce to one code; look-alike letters are not part of any code."""
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"
    assert looks_like_code("abcd efgh".replace("a", "2")) and not looks_like_code("ABCD-EFG0")
    assert format_code("ABCDEFGH") == "ABCD-EFGH"


def test_the_server_access_log_writes_share_paths_without_their_token():
    """The gunicorn logger class (access and error logs) and the logging filter hide the token."""
    from datetime import timedelta as td
    from types import SimpleNamespace

    from gunicorn.config import Config

    from crampwise.clinician.core.logs import RedactingGunicornLogger, RedactShareTokens, redact

    token = "kmQWRZI7ypaXe_0z_e0urS-OL2G9NP-7Kzhv4BLrilU"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/s/{token}/report.pdf",
        "PATH_INFO": f"/s/{token}/report.pdf",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://cramps.example/s/{token}/",
        "QUERY_STRING": "",
    }
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %({referer}i)s %(U)s')
    server_log = RedactingGunicornLogger(config)
    lines = []
    capture = logging.Handler()
    capture.emit = lambda record: lines.append(capture.format(record))
    server_log.access_log.addHandler(capture)
    try:
        server_log.access(
            SimpleNamespace(status="200 OK", sent=10, headers=[("Location", f"/s/{token}/")]),
            [("Referer", f"https://cramps.example/s/{token}/")],
            {**environ, "REMOTE_ADDR": "203.0.113.9"},
            td(seconds=1),
        )
        server_log.access(
            SimpleNamespace(status="200 OK", sent=10, headers=[]),
            [],
            {**environ, "RAW_URI": "/history/", "PATH_INFO": "/history/", "HTTP_REFERER": "-"},
            td(seconds=1),
        )
        # gunicorn's error log names the request it failed on.
        server_log.error_log.addHandler(capture)
        server_log.error("Error handling request %s", f"/s/{token}/report.pdf")
    finally:
        server_log.access_log.removeHandler(capture)
        server_log.error_log.removeHandler(capture)
    assert len(lines) == 3 and token not in "".join(lines)
    assert lines[2] == "Error handling request /s/[token]/report.pdf"
    assert lines[0].count("/s/[token]/") == 4  # the request line, both referers and the path
    assert '"GET /history/ HTTP/1.1"' in lines[1]
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "Not Found: %s", (f"/s/{token}/",), None
    )
    RedactShareTokens().filter(record)
    assert token not in record.getMessage()
    assert redact("/sharing/links/new/") == "/sharing/links/new/"
