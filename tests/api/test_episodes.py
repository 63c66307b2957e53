"""Episodes through the API: a client-made id makes retries safe."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from crampwise.diary.models import Episode, Night
from tests.api.conftest import bearer, fields

pytestmark = pytest.mark.django_db


def cramp(**extra) -> dict:
    return {"id": str(uuid.uuid4()), "started_at": "2026-11-21T03:12:00+01:00", **extra}


def test_a_new_episode_is_created_with_its_details(api, owner):
    """201, on the night of the evening before, with every detail stored."""
    body = cramp(
        ended_at="2026-11-21T03:14:30+01:00",
        muscle="calf",
        side="left",
        pain=8,
        reliefs=["stretch", "massage"],
    )
    response = api.post("/episodes", body)
    assert response.status_code == 201, response.json()
    got = response.json()
    assert (
        got["id"] == body["id"] and got["night"] == "2026-11-20" and got["duration_seconds"] == 150
    )
    assert (got["muscle"], got["side"], got["pain"], got["reliefs"]) == (
        "calf",
        "left",
        8,
        ["stretch", "massage"],
    )
    assert got["started_at"] == "2026-11-21T02:12:00Z"
    assert Night.objects.get(user=owner, night=date(2026, 11, 20)).episode_count == 1


def test_a_repeated_post_returns_the_stored_episode_and_adds_nothing(api, owner):
    """The same id again is answered 200 with what was stored, never a second cramp."""
    body = cramp(pain=5)
    first = api.post("/episodes", body)
    again = api.post("/episodes", {**body, "pain": 9})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Episode.objects.filter(user=owner).count() == 1
    assert api.get("/nights/2026-11-20").json()["cramps"] == 1


def test_someone_elses_id_is_a_conflict_that_reveals_nothing(client, api, other_patient, owner):
    """Bob cannot read or take over Alice's episode by posting its id."""
    body = cramp(pain=5)
    api.post("/episodes", body)
    from crampwise.api.tokens import create_token

    bob = bearer(create_token(other_patient, "bob", "read-write")[1])
    response = client.post(
        "/api/v1/episodes", {**body, "pain": 1}, content_type="application/json", headers=bob
    )
    assert response.status_code == 409 and fields(response) == {"id"}
    assert "pain" not in response.content.decode() and "2026" not in response.content.decode()
    assert (
        Episode.objects.get(pk=body["id"]).user == owner
        and Episode.objects.get(pk=body["id"]).pain == 5
    )


def test_patch_adds_details_and_ends_the_cramp(api):
    """Only the fields sent change; null clears one."""
    body = cramp(muscle="foot", pain=4)
    api.post("/episodes", body)
    changed = api.patch(
        f"/episodes/{body['id']}",
        {"ended_at": "2026-11-21T02:13:00Z", "pain": None, "reliefs": ["heat", "heat"]},
    )
    assert changed.status_code == 200, changed.json()
    got = changed.json()
    assert (
        got["muscle"] == "foot"
        and got["pain"] is None
        and got["reliefs"] == ["heat"]
        and got["duration_seconds"] == 60
    )


def test_delete_removes_the_episode_and_lowers_the_nights_count(api, owner):
    """A cramp logged by mistake can be deleted."""
    body = cramp()
    api.post("/episodes", body)
    assert api.delete(f"/episodes/{body['id']}").status_code == 204
    assert api.get(f"/episodes/{body['id']}").status_code == 404
    assert Night.objects.get(user=owner, night=date(2026, 11, 20)).episode_count == 0


def test_the_list_is_by_night_and_paged(api):
    """from/to select by the night an episode belongs to."""
    for day in (20, 21, 22):
        api.post("/episodes", cramp(started_at=f"2026-11-{day}T23:00:00Z"))
    listed = api.get("/episodes?from=2026-11-21&to=2026-11-22&limit=1").json()
    assert listed["count"] == 2 and [e["night"] for e in listed["items"]] == ["2026-11-21"]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"started_at": "2026-11-21T03:12:00"}, "started_at"),  # no offset
        ({"started_at": "1700000000"}, "started_at"),
        ({"started_at": 1700000000}, "started_at"),
        ({"started_at": "2999-01-01T00:00:00Z"}, "started_at"),
        ({"started_at": "0001-01-01T00:00:00+14:00"}, "started_at"),
        ({"started_at": "9999-12-31T23:59:59-14:00"}, "started_at"),
        ({"ended_at": "2026-11-21T01:00:00Z"}, "ended_at"),  # before the start
        ({"ended_at": "2026-11-23T03:00:00Z"}, "ended_at"),  # two days later
        ({"id": "not-a-uuid"}, "id"),
        ({"muscle": "neck"}, "muscle"),
        ({"side": "middle"}, "side"),
        ({"pain": 11}, "pain"),
        ({"pain": True}, "pain"),
        ({"reliefs": ["prayer"]}, "reliefs.0"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_episode_fields_are_named(api, change, field):
    """Every bad field gets a 422 that names it."""
    response = api.post("/episodes", cramp(**change))
    assert response.status_code == 422, response.content
    assert fields(response) == {field}


def test_an_id_that_is_not_a_uuid_in_the_path_is_refused(api):
    """A malformed id is a 422, not a server error."""
    assert api.get("/episodes/123").status_code == 422
    assert api.patch("/episodes/123", {}).status_code == 422
