"""Medicines through the API: create, read, replace, delete, by UUID, owner only."""

from __future__ import annotations

import pytest

from crampwise.diary.models import Medicine
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db

RAMIPRIL = {
    "name": "Ramipril",
    "dose": "5 mg once a day",
    "started": "2025-03-01",
    "purpose": "other",
    "note": "",
}


def test_a_medicine_goes_through_its_whole_life(api, owner):
    """Create, read, list, replace, delete."""
    created = api.post("/medicines", RAMIPRIL)
    assert created.status_code == 201
    med_id = created.json()["id"]
    assert api.get(f"/medicines/{med_id}").json() == {**RAMIPRIL, "id": med_id, "stopped": None}
    assert api.get("/medicines").json()["count"] == 1
    replaced = api.put(f"/medicines/{med_id}", {"name": "Ramipril", "stopped": "2026-01-01"})
    assert replaced.status_code == 200
    assert replaced.json()["dose"] == "" and replaced.json()["started"] is None
    assert api.delete(f"/medicines/{med_id}").status_code == 204
    assert not Medicine.objects.filter(user=owner).exists()
    assert api.get(f"/medicines/{med_id}").status_code == 404


@pytest.mark.parametrize(
    "body,bad",
    [
        ({"name": ""}, {"name"}),
        ({"name": "A; B"}, {"name"}),
        ({"name": "x" * 121}, {"name"}),
        ({"name": "Ok", "started": "2026-02-01", "stopped": "2026-01-01"}, {"stopped"}),
        ({"name": "Ok", "started": "01/02/2026"}, {"started"}),
        ({"name": "Ok", "purpose": "fun"}, {"purpose"}),
        ({"name": "Ok", "note": "\x00"}, {"note"}),
        ({"dose": "1 mg"}, {"name"}),
    ],
)
def test_bad_medicines_are_refused_by_field(api, body, bad):
    """Each malformed field is named, and nothing is stored."""
    response = api.post("/medicines", body)
    assert response.status_code == 422 and fields(response) == bad
    assert not Medicine.objects.exists()
