"""Nights through the API: PUT replaces, GET reads, DELETE forgets; fields named as CSV columns."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crampwise.diary import services
from crampwise.diary.models import CustomFactor, Night
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db

FULL = {
    "cramps": 2,
    "worst_pain": 7,
    "minutes_awake": 20,
    "sleep_quality": 2,
    "soreness": 1,
    "factors": {"stretched": False, "fluid_glasses": 6, "hours_on_feet": 8.5, "late_dinner": True},
    "medicines_taken": ["Ramipril", "Atorvastatin"],
    "note": "bad night",
}


@pytest.fixture
def late_dinner(owner):
    return CustomFactor.objects.create(
        user=owner, name="late_dinner", label="Late dinner?", kind="yes_no"
    )


def test_put_stores_every_answer_and_get_returns_it(api, late_dinner):
    """A PUT night reads back field for field."""
    put = api.put("/nights/2026-11-23", FULL)
    assert put.status_code == 200, put.json()
    got = api.get("/nights/2026-11-23").json()
    assert got == put.json()
    for name, value in FULL.items():
        assert got[name] == value
    assert (
        got["night"] == "2026-11-23" and got["episodes_logged"] == 0 and got["reported_cramps"] == 2
    )


def test_put_is_idempotent_and_replaces_the_whole_night(api, owner, late_dinner):
    """Repeating a PUT changes nothing; a smaller PUT clears the fields it leaves out."""
    api.put("/nights/2026-11-23", FULL)
    api.put("/nights/2026-11-23", FULL)
    assert Night.objects.filter(user=owner).count() == 1
    smaller = api.put("/nights/2026-11-23", {"cramps": 0}).json()
    assert smaller["cramps"] == 0 and smaller["worst_pain"] is None
    assert smaller["factors"] == {} and smaller["medicines_taken"] == [] and smaller["note"] == ""


def test_the_export_matches_what_was_put(api, late_dinner):
    """The API writes the same night the nightly CSV then exports."""
    api.put("/nights/2026-11-23", FULL)
    csv = api.get("/export/nights.csv").content.decode()
    assert "2026-11-23,2,7,20,2,1,no,6,,,8.5,,Ramipril; Atorvastatin,bad night,yes" in csv


def test_a_night_with_no_answer_is_not_found_rather_than_zero(api):
    """Missing is not zero: an unrecorded night is a 404."""
    response = api.get("/nights/2026-11-20")
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"] is None


def test_the_count_joins_logged_cramps_and_the_morning_answer(api, owner):
    """Two cramps logged at night and no answer yet count as two; a lower answer is refused."""
    for hour in (2, 4):
        services.log_episode(owner, started_at=datetime(2026, 11, 21, hour, tzinfo=UTC))
    got = api.get("/nights/2026-11-20").json()
    assert got["cramps"] == 2 and got["reported_cramps"] is None and got["episodes_logged"] == 2
    lower = api.put("/nights/2026-11-20", {"cramps": 1})
    assert lower.status_code == 422 and fields(lower) == {"cramps"}
    assert api.put("/nights/2026-11-20", {"cramps": 3}).json()["cramps"] == 3


def test_delete_forgets_the_night_and_its_cramps(api, owner):
    """After DELETE the night is missing; deleting it again is not an error."""
    services.log_episode(owner, started_at=datetime(2026, 11, 21, 2, tzinfo=UTC))
    api.put("/nights/2026-11-20", {"cramps": 1})
    assert api.delete("/nights/2026-11-20").status_code == 204
    assert api.get("/nights/2026-11-20").status_code == 404
    assert api.get("/episodes").json()["count"] == 0
    assert api.delete("/nights/2026-11-20").status_code == 204


def test_the_list_pages_and_filters_by_night(api, owner):
    """from/to pick nights inclusively; limit and offset page them, oldest first."""
    for day in range(1, 11):
        services.save_night(owner, date(2026, 11, day), reported_cramps=day % 3)
    listed = api.get("/nights?from=2026-11-03&to=2026-11-08&limit=4&offset=1").json()
    assert listed["count"] == 6 and listed["limit"] == 4 and listed["offset"] == 1
    assert [n["night"] for n in listed["items"]] == [
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
        "2026-11-07",
    ]


def test_an_empty_bound_means_no_bound(api, owner):
    """`?from=&to=` lists every night."""
    services.save_night(owner, date(2026, 11, 1), reported_cramps=0)
    assert api.get("/nights?from=&to=").json()["count"] == 1


def test_unknown_and_wrongly_typed_factors_are_named(api, late_dinner):
    """Each bad factor is reported under factors.NAME."""
    response = api.put(
        "/nights/2026-11-23",
        {
            "factors": {
                "stretched": 1,
                "fluid_glasses": True,
                "alcohol_units": -1,
                "hours_on_feet": 1e9,
                "late_dinner": "yes",
                "nonsense": 1,
            }
        },
    )
    assert response.status_code == 422
    assert fields(response) == {
        "factors.stretched",
        "factors.fluid_glasses",
        "factors.alcohol_units",
        "factors.hours_on_feet",
        "factors.late_dinner",
        "factors.nonsense",
    }


def test_bad_values_are_each_named_and_nothing_is_stored(api, owner):
    """Out-of-range and wrongly typed fields get one message each; the night stays missing."""
    response = api.put(
        "/nights/2026-11-23",
        {
            "cramps": 201,
            "worst_pain": "7",
            "minutes_awake": 2.5,
            "sleep_quality": 0,
            "soreness": None,
            "medicines_taken": ["a;b", " padded"],
            "note": "x" * 2001,
            "reported_cramps": 3,
        },
    )
    assert response.status_code == 422
    assert fields(response) == {
        "cramps",
        "worst_pain",
        "minutes_awake",
        "sleep_quality",
        "medicines_taken.0",
        "medicines_taken.1",
        "note",
        "reported_cramps",
    }
    assert all(item["message"] for item in response.json()["detail"])
    assert not Night.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    "night", ["2026-13-01", "2026-02-30", "yesterday", "20261125", "1700000000", "0000-01-01"]
)
def test_a_bad_date_in_the_path_is_a_422_naming_night(api, night):
    """Every malformed night is answered 422, never 500."""
    for response in (
        api.get(f"/nights/{night}"),
        api.put(f"/nights/{night}", {}),
        api.delete(f"/nights/{night}"),
    ):
        assert response.status_code == 422 and fields(response) == {"night"}


def test_a_night_in_the_future_cannot_be_recorded(api):
    """The night after tonight has not happened yet."""
    response = api.put("/nights/2999-01-01", {"cramps": 0})
    assert response.status_code == 422 and fields(response) == {"night"}


def test_from_after_to_is_refused(api):
    """A range that ends before it starts names `to`."""
    response = api.get("/nights?from=2026-11-10&to=2026-11-01")
    assert response.status_code == 422 and fields(response) == {"to"}


def test_a_removed_factor_is_no_longer_shown(api, late_dinner):
    """Like the CSV export, a night shows only the factors the diary still has."""
    api.put("/nights/2026-11-23", {"factors": {"late_dinner": True, "stretched": True}})
    late_dinner.delete()
    assert api.get("/nights/2026-11-23").json()["factors"] == {"stretched": True}
