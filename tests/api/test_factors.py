"""Factors through the API: the built-in ones, and adding one's own."""

from __future__ import annotations

import pytest

from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES
from crampwise.diary.models import CustomFactor
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db


def test_the_list_has_the_builtin_factors_then_ones_own(api, owner):
    """Built-in factors first, in CSV column order, then the person's own."""
    CustomFactor.objects.create(user=owner, name="late_dinner", label="Late dinner?", kind="yes_no")
    items = api.get("/factors").json()["items"]
    assert [f["name"] for f in items] == [*BUILTIN_FACTOR_NAMES, "late_dinner"]
    assert items[0]["builtin"] and not items[-1]["builtin"]


def test_a_new_factor_can_be_used_in_a_night_at_once(api):
    """POST /factors, then PUT a night with it."""
    created = api.post("/factors", {"name": "long_drive", "label": "Long drive?", "kind": "count"})
    assert created.status_code == 201
    assert created.json() == {
        "name": "long_drive",
        "kind": "count",
        "label": "Long drive?",
        "builtin": False,
    }
    assert api.put("/nights/2026-11-23", {"factors": {"long_drive": 2.5}}).json()["factors"] == {
        "long_drive": 2.5
    }


def test_a_taken_name_is_a_conflict_and_a_csv_column_name_is_refused(api):
    """Names are unique per person and cannot be a built-in column."""
    api.post("/factors", {"name": "late_dinner", "label": "Late dinner?"})
    again = api.post("/factors", {"name": "late_dinner", "label": "Again?"})
    assert again.status_code == 409 and fields(again) == {"name"}
    builtin = api.post("/factors", {"name": "note", "label": "Note?"})
    assert builtin.status_code == 422 and fields(builtin) == {"name"}
    # The same sentence as the web form's (one rule for every input).
    assert "“note” is already a built-in column." in builtin.json()["detail"][0]["message"]


@pytest.mark.parametrize(
    "body,bad",
    [
        ({"name": "Late", "label": "x"}, {"name"}),
        ({"name": "9lives", "label": "x"}, {"name"}),
        ({"name": "a" * 41, "label": "x"}, {"name"}),
        ({"name": "ok", "label": ""}, {"label"}),
        ({"name": "ok", "label": "x", "kind": "colour"}, {"kind"}),
        ({"name": "ok"}, {"label"}),
    ],
)
def test_bad_factors_are_refused_by_field(api, body, bad):
    """Each malformed field is named."""
    response = api.post("/factors", body)
    assert response.status_code == 422 and fields(response) == bad


def test_the_same_name_is_free_for_another_person(api, client, other_patient):
    """Factor names are scoped to their owner."""
    from crampwise.api.tokens import create_token
    from tests.api.conftest import bearer

    api.post("/factors", {"name": "late_dinner", "label": "Late dinner?"})
    bob = bearer(create_token(other_patient, "bob", "read-write")[1])
    response = client.post(
        "/api/v1/factors",
        {"name": "late_dinner", "label": "Mine"},
        content_type="application/json",
        headers=bob,
    )
    assert response.status_code == 201
