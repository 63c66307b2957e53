"""Property: any valid night PUT through the API is read back by GET exactly as it was sent."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary.core import limits
from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.models import CustomFactor

pytestmark = pytest.mark.django_db

OWN_FACTORS = {"late_dinner": "yes_no", "long_drive": "count"}
KINDS = {**{f.name: f.kind for f in BUILTIN_FACTORS}, **OWN_FACTORS}


def optional(low: int, high: int):
    return st.none() | st.integers(low, high)


def factor_value(name: str, kind: str):
    if kind == "yes_no":
        return st.booleans()
    high = limits.factor_max(name)
    return st.integers(0, int(high)) | st.floats(0, high).map(lambda v: round(v, 2))


# What the diary's text rule keeps (limits.text_problem): no control characters; notes may break lines.
text_chars = st.characters(exclude_categories=("Cs", "Cc"))
note_chars = text_chars | st.sampled_from("\n\t")
medicine_name = st.text(text_chars, min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and ";" not in s
)

nights = st.fixed_dictionaries(
    {},
    optional={
        "cramps": optional(0, 200),
        "worst_pain": optional(0, 10),
        "minutes_awake": optional(0, 720),
        "sleep_quality": optional(1, 5),
        "soreness": optional(0, 3),
        "factors": st.fixed_dictionaries(
            {}, optional={name: factor_value(name, kind) for name, kind in KINDS.items()}
        ),
        "medicines_taken": st.lists(medicine_name, max_size=5),
        "note": st.text(note_chars, max_size=2000),
    },
)


@pytest.fixture
def own_factors(owner):
    for name, kind in OWN_FACTORS.items():
        CustomFactor.objects.create(user=owner, name=name, label=name, kind=kind)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(night=st.dates(date(1990, 1, 1), date(2026, 1, 1)), body=nights)
def test_put_then_get_returns_the_same_values(api, own_factors, night, body):
    """Every field sent comes back unchanged; fields left out come back as not recorded."""
    path = f"/nights/{night.isoformat()}"
    put = api.put(path, body)
    assert put.status_code == 200, put.json()
    got = api.get(path).json()
    assert got == put.json()
    assert got["night"] == night.isoformat()
    assert got["cramps"] == got["reported_cramps"] == body.get("cramps")
    for name in ("worst_pain", "minutes_awake", "sleep_quality", "soreness"):
        assert got[name] == body.get(name)
    assert got["factors"] == body.get("factors", {})
    assert got["medicines_taken"] == body.get("medicines_taken", [])
    assert got["note"] == body.get("note", "")
