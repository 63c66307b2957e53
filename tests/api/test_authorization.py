"""Who may call each route: the owner; never another patient, a clinician without a grant,
an anonymous caller, a read-only token trying to write, or a revoked token."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from crampwise.api.tokens import create_token, revoke_token
from crampwise.api.urls import api as ninja_api
from crampwise.diary import services
from crampwise.diary.models import CustomFactor, Episode, Medicine, Night
from crampwise.reminders.models import PushSubscription
from crampwise.series import services as series_services
from crampwise.series.models import Enrolment
from tests.api.conftest import bearer
from tests.conftest import make_user
from tests.reminders.web_helpers import browser_keys, subscription
from tests.series.builders import protocol_for

pytestmark = pytest.mark.django_db

SECRET_NOTE = "alice-private-note"
SECRET_MEDICINE = "AliceOnlyMedicine"

# operationId: (method, path, body, what the owner gets, what anyone else gets).
# {episode} and {medicine} are Alice's ids; a night is addressed by date within the caller's own diary.
OPERATIONS = {
    "listNights": ("GET", "/nights", None, {200}, {200}),
    "getNight": ("GET", "/nights/2026-11-19", None, {200}, {404}),
    "putNight": ("PUT", "/nights/2026-11-19", {"cramps": 3, "note": "changed"}, {200}, {200}),
    "deleteNight": ("DELETE", "/nights/2026-11-19", None, {204}, {204}),
    "logEpisode": (
        "POST",
        "/episodes",
        {"id": "{episode}", "started_at": "2026-11-20T03:00:00Z", "pain": 1},
        {200},
        {409},
    ),
    "listEpisodes": ("GET", "/episodes", None, {200}, {200}),
    "getEpisode": ("GET", "/episodes/{episode}", None, {200}, {404}),
    "changeEpisode": ("PATCH", "/episodes/{episode}", {"pain": 1}, {200}, {404}),
    "deleteEpisode": ("DELETE", "/episodes/{episode}", None, {204}, {404}),
    "listFactors": ("GET", "/factors", None, {200}, {200}),
    "createFactor": (
        "POST",
        "/factors",
        {"name": "long_drive", "label": "Long drive?"},
        {201},
        {201},
    ),
    "listMedicines": ("GET", "/medicines", None, {200}, {200}),
    "createMedicine": ("POST", "/medicines", {"name": "Magnesium"}, {201}, {201}),
    "getMedicine": ("GET", "/medicines/{medicine}", None, {200}, {404}),
    "replaceMedicine": ("PUT", "/medicines/{medicine}", {"name": "Renamed"}, {200}, {404}),
    "deleteMedicine": ("DELETE", "/medicines/{medicine}", None, {204}, {404}),
    "getInsightsSummary": ("GET", "/insights/summary", None, {200}, {200}),
    "exportNightsCsv": ("GET", "/export/nights.csv", None, {200}, {200}),
    "getMe": ("GET", "/me", None, {200}, {200}),
    "updateMe": ("PATCH", "/me", {"bedtime": "22:00"}, {200}, {200}),
    "getReminders": ("GET", "/reminders", None, {200}, {200}),
    "replaceReminders": ("PUT", "/reminders", {"evening": {"enabled": True}}, {200}, {200}),
    "createPushSubscription": (
        "POST",
        "/push-subscriptions",
        subscription("https://push.example.net/send/new-browser"),
        {201},
        {201},
    ),
    "listPushSubscriptions": ("GET", "/push-subscriptions", None, {200}, {200}),
    "deletePushSubscription": ("DELETE", "/push-subscriptions/{subscription}", None, {204}, {404}),
    # 503 until the server has a VAPID key (crampwise.reminders.vapid).
    "getPushKey": ("GET", "/push-key", None, {200, 503}, {200, 503}),
    "createCalendarFeed": ("POST", "/calendar-feed", None, {201}, {201}),
    "getCalendarFeed": ("GET", "/calendar-feed", None, {200}, {200}),
    "deleteCalendarFeed": ("DELETE", "/calendar-feed", None, {204}, {204}),
    # Alice is a patient in a series led by a third person: she may leave it, never read it.
    "listSeriesProtocols": ("GET", "/series/protocols", None, {200}, {200}),
    "getSeriesPooled": ("GET", "/series/protocols/{protocol}/pooled", None, {404}, {404}),
    "joinSeries": ("POST", "/series/join", {"code": "NO-SUCH", "consent": True}, {404}, {404}),
    "withdrawFromSeries": (
        "POST",
        "/series/enrolments/{enrolment}/withdraw",
        None,
        {204},
        {404},
    ),
}
READS = [op for op, (method, *_rest) in OPERATIONS.items() if method == "GET"]
WRITES = [op for op in OPERATIONS if op not in READS]


@pytest.fixture
def alice(owner, django_user_model):
    """Alice's diary: a night with a private note, a logged cramp, a medicine and a factor."""
    episode, _ = services.log_episode(owner, started_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    services.save_night(
        owner,
        date(2026, 11, 19),
        reported_cramps=1,
        note=SECRET_NOTE,
        factors={"late_dinner": True},
        medicines_taken=[SECRET_MEDICINE],
    )
    medicine = Medicine.objects.create(user=owner, name=SECRET_MEDICINE)
    CustomFactor.objects.create(user=owner, name="late_dinner", label="Late dinner?")
    device = PushSubscription.objects.create(
        user=owner, endpoint="https://push.example.net/send/alice", **browser_keys()
    )
    lead = make_user(django_user_model, "dr_lead", clinician=True)
    enrolment = series_services.enrol(owner, protocol_for(lead))
    return {
        "episode": str(episode.pk),
        "medicine": str(medicine.pk),
        "subscription": str(device.pk),
        "protocol": str(enrolment.protocol_id),
        "enrolment": str(enrolment.pk),
    }


def snapshot(user) -> tuple:
    """Everything of a person's diary, to show that a call changed nothing."""
    return (
        list(
            Night.objects.filter(user=user).values_list(
                "night", "reported_cramps", "episode_count", "note", "factors"
            )
        ),
        list(Episode.objects.filter(user=user).values_list("id", "pain", "ended_at")),
        list(Medicine.objects.filter(user=user).values_list("id", "name")),
        list(CustomFactor.objects.filter(user=user).values_list("name", "label")),
        list(PushSubscription.objects.filter(user=user).values_list("id", "endpoint")),
        list(Enrolment.objects.filter(patient=user).values_list("id", "withdrawn_at")),
    )


def call(client, op: str, ids: dict, headers: dict | None = None):
    method, path, body, _owner, _others = OPERATIONS[op]
    url = "/api/v1" + path.format(**ids)
    data = json.dumps(body).replace("{episode}", ids["episode"]) if body is not None else None
    kwargs = {"headers": headers or {}}
    if data is not None:
        kwargs |= {"data": data, "content_type": "application/json"}
    return getattr(client, method.lower())(url, **kwargs)


def token_for(user, scope: str = "read-write") -> dict:
    return bearer(create_token(user, "test", scope)[1])


def test_this_table_covers_every_operation_of_the_api():
    """A new route must be added here, and so gets every authorization test below."""
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    documented = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert documented - {"ping"} == set(OPERATIONS)


@pytest.mark.parametrize("op", OPERATIONS)
def test_the_owner_can_use_every_route_with_a_token(client, owner, alice, op):
    """Alice's read-write token reaches all of her diary."""
    response = call(client, op, alice, token_for(owner))
    assert response.status_code in OPERATIONS[op][3], response.content


@pytest.mark.parametrize("op", OPERATIONS)
def test_the_owner_can_use_every_route_with_the_session(owner_client, alice, op):
    """The web app's session works too (the test client sends a valid CSRF token)."""
    assert call(owner_client, op, alice).status_code in OPERATIONS[op][3]


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
@pytest.mark.parametrize("op", OPERATIONS)
def test_nobody_else_sees_or_changes_alices_diary(client, owner, alice, op, who, request):
    """Another patient and a clinician without a grant reach only their own (empty) diary."""
    stranger = request.getfixturevalue(who)
    before = snapshot(owner)
    response = call(client, op, alice, token_for(stranger))
    assert response.status_code in OPERATIONS[op][4]
    text = response.content.decode()
    assert SECRET_NOTE not in text and SECRET_MEDICINE not in text and alice["episode"] not in text
    assert snapshot(owner) == before


@pytest.mark.parametrize("op", OPERATIONS)
def test_anonymous_callers_get_401_everywhere(client, owner, alice, op):
    """Without a session or token, every route answers 401 and changes nothing."""
    before = snapshot(owner)
    response = call(client, op, alice)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot(owner) == before


@pytest.mark.parametrize("op", WRITES)
def test_a_read_only_token_cannot_write(client, owner, alice, op):
    """Every change with a read-only token is a 403, and nothing changes."""
    before = snapshot(owner)
    response = call(client, op, alice, token_for(owner, "read"))
    assert response.status_code == 403
    assert snapshot(owner) == before


@pytest.mark.parametrize("op", READS)
def test_a_read_only_token_can_read(client, owner, alice, op):
    """Reading needs only the read scope."""
    assert call(client, op, alice, token_for(owner, "read")).status_code in OPERATIONS[op][3]


@pytest.mark.parametrize("op", OPERATIONS)
def test_a_revoked_token_gets_401_everywhere(client, owner, alice, op):
    """Once revoked, a token opens nothing."""
    made, secret = create_token(owner, "old", "read-write")
    revoke_token(owner, made.pk)
    before = snapshot(owner)
    assert call(client, op, alice, bearer(secret)).status_code == 401
    assert snapshot(owner) == before
