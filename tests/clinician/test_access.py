"""The access matrix: every view, file and route of the doctor's view, for every kind of visitor.

Visitors: the owner (Alice), another patient (Bob), the clinician Alice granted (dr_carol), a
clinician without a grant or whose grant Alice withdrew (dr_dan), and an anonymous visitor.
Audit rows must appear exactly for views of Alice's data by someone other than Alice.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.clinician.models import AccessEvent, Grant, ShareLink

pytestmark = pytest.mark.django_db

VISITORS = ["owner", "other_patient", "clinician", "other_clinician", "anonymous"]
LINK_ROUTES = ["shared_report", "shared_report_pdf", "shared_fhir"]
GRANT_ROUTES = ["clinician_report", "clinician_report_pdf", "clinician_fhir"]
WHAT = {
    "shared_report": "page",
    "shared_report_pdf": "pdf",
    "shared_fhir": "fhir",
    "clinician_report": "page",
    "clinician_report_pdf": "pdf",
    "clinician_fhir": "fhir",
}


def visit_as(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def audit_rows(patient):
    return list(AccessEvent.objects.filter(patient=patient))


@pytest.mark.parametrize("route", LINK_ROUTES)
@pytest.mark.parametrize("who", VISITORS)
def test_a_working_link_opens_for_anyone_and_audits_everyone_but_the_owner(
    client, request, link, route, who
):
    """200 for every visitor; one audit row per view unless the owner looks at her own link."""
    made, token = link
    response = visit_as(client, request, who).get(reverse(route, args=[token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = audit_rows(made.owner)
    if who == "owner":
        assert rows == []
    else:
        assert len(rows) == 1
        row = rows[0]
        assert (row.via, row.what, row.share_link_id, row.actor_label) == (
            "share_link",
            WHAT[route],
            made.pk,
            "Dr Smith",
        )
        assert row.actor_id == (None if who == "anonymous" else request.getfixturevalue(who).pk)
        assert row.ip == "127.0.0.1"


@pytest.mark.parametrize("state", ["expired_link", "revoked_link"])
@pytest.mark.parametrize("route", LINK_ROUTES)
@pytest.mark.parametrize("who", ["owner", "clinician", "anonymous"])
def test_an_expired_or_withdrawn_link_is_404_for_everyone_and_audits_nothing(
    client, request, state, route, who
):
    """The same 'not available' answer as for a link that never existed."""
    made, token = request.getfixturevalue(state)
    response = visit_as(client, request, who).get(reverse(route, args=[token]))
    assert response.status_code == 404
    assert b"This report is not available" in response.content or route == "shared_fhir"
    assert audit_rows(made.owner) == []


@pytest.mark.parametrize("route", LINK_ROUTES)
def test_a_made_up_or_overlong_token_is_404(client, route, alice_diary):
    """Guessing gives the same 404, and an absurdly long token is not even hashed."""
    for token in ("not-a-real-token", "x" * 500):
        assert client.get(reverse(route, args=[token])).status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("route", GRANT_ROUTES)
@pytest.mark.parametrize(
    "who,expected",
    [
        ("clinician", 200),
        ("other_clinician", 404),
        ("owner", 404),
        ("other_patient", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_granted_clinician_opens_the_patients_report(
    client, request, grant, route, who, expected
):
    """A clinician without a grant, and patients, get 404; anonymous visitors log in first."""
    response = visit_as(client, request, who).get(reverse(route, args=[grant.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response.url
    rows = audit_rows(grant.patient)
    if who == "clinician":
        assert [(r.via, r.what, r.actor_id, r.actor_label) for r in rows] == [
            ("clinician", WHAT[route], grant.clinician_id, "dr_carol")
        ]
    else:
        assert rows == []


@pytest.mark.parametrize("route", GRANT_ROUTES)
def test_a_withdrawn_grant_closes_the_report_at_once(
    client, grant, revoked_grant, other_clinician, route
):
    """dr_dan's withdrawn grant is 404, even though its id is real."""
    client.force_login(other_clinician)
    assert client.get(reverse(route, args=[revoked_grant.pk])).status_code == 404
    assert audit_rows(revoked_grant.patient) == []


def test_withdrawing_a_grant_stops_the_next_view(client, grant, clinician):
    """Open, withdraw, and the same URL is 404."""
    client.force_login(clinician)
    url = reverse("clinician_report", args=[grant.pk])
    assert client.get(url).status_code == 200
    Grant.objects.filter(pk=grant.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("route", ["report", "report_pdf"])
@pytest.mark.parametrize("who", ["owner", "other_patient", "clinician"])
def test_the_own_report_always_shows_the_visitors_own_diary_and_is_not_audited(
    client, request, alice_diary, route, who
):
    """/report/ is scoped to the logged-in person; nobody reaches Alice's nights through it."""
    visitor = request.getfixturevalue(who)
    response = visit_as(client, request, who).get(reverse(route))
    assert response.status_code == 200
    if route == "report":
        html = response.content.decode()
        assert visitor.username in html
        assert ("left calf woke me" in html) == (who == "owner")
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("route", ["report", "report_pdf", "sharing", "clinician_home"])
def test_anonymous_visitors_must_log_in(client, route):
    """Private pages send anonymous visitors to the login page."""
    response = client.get(reverse(route))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("who", ["owner", "other_patient"])
def test_the_clinician_list_is_for_clinicians_only(client, request, who):
    """Patients get 403."""
    assert visit_as(client, request, who).get(reverse("clinician_home")).status_code == 403


def test_the_clinician_list_shows_granted_patients_only_and_audits_each(
    client, grant, revoked_grant, clinician, other_clinician, other_patient
):
    """dr_carol sees Alice with her key numbers (one audit row); dr_dan sees nobody."""
    client.force_login(clinician)
    html = client.get(reverse("clinician_home")).content.decode()
    assert "alice" in html and "bob" not in html
    assert reverse("clinician_report", args=[grant.pk]) in html
    assert [(r.what, r.actor_id) for r in audit_rows(grant.patient)] == [("summary", clinician.pk)]
    client.force_login(other_clinician)
    html = client.get(reverse("clinician_home")).content.decode()
    assert "alice" not in html and "No patient shares a report with you yet." in html
    assert len(audit_rows(grant.patient)) == 1


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_nobody_else_can_withdraw_alices_link_or_grant(client, request, link, grant, who):
    """Posting to Alice's revoke URLs is 404 and changes nothing."""
    made, _token = link
    client = visit_as(client, request, who)
    assert client.post(reverse("share_link_revoke", args=[made.pk])).status_code == 404
    assert client.post(reverse("grant_revoke", args=[grant.pk])).status_code == 404
    assert ShareLink.objects.get(pk=made.pk).revoked_at is None
    assert Grant.objects.get(pk=grant.pk).revoked_at is None


def test_the_sharing_page_lists_only_the_visitors_own_links_grants_and_audit(
    client, link, grant, other_patient
):
    """Bob's sharing page shows none of Alice's."""
    client.force_login(other_patient)
    html = client.get(reverse("sharing")).content.decode()
    assert "Dr Smith" not in html and "dr_carol" not in html
    assert (
        "You have not made a link yet." in html and "Nobody else has looked at your diary." in html
    )


def test_the_fhir_file_is_a_bundle_of_the_links_patient(client, link):
    """A FHIR collection Bundle with Alice's nights, as JSON."""
    _made, token = link
    response = client.get(reverse("shared_fhir", args=[token]))
    bundle = response.json()
    assert response["Content-Type"].startswith("application/fhir+json")
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection" and bundle["entry"]
