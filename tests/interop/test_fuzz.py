"""Fuzzing the FHIR importer: never a crash; bad input is refused with a reason, good parts are kept."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary.core.records import EpisodeRecord, NightRecord
from crampwise.interop import FhirImportError, PatientData, build_bundle, read_bundle

BASE = build_bundle(
    PatientData(
        username="fuzz",
        nights=[
            NightRecord(date(2026, 1, d), d % 3, worst_pain=5, factors={"stretched": 1.0})
            for d in range(1, 6)
        ],
        episodes=[
            EpisodeRecord(
                date(2026, 1, 2),
                datetime(2026, 1, 3, 2, 0, tzinfo=UTC),
                2,
                300,
                "calf",
                "left",
                6,
                ("stretch",),
            )
        ],
    ),
    generated_at=datetime(2026, 1, 10, tzinfo=UTC),
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_a_reason(text):
    """Arbitrary text never crashes the reader; non-JSON errors name line and column."""
    try:
        read_bundle(text)
    except FhirImportError as exc:
        message = str(exc)
        assert message
        if "not JSON" in message:
            assert "line" in message and "column" in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_bundle_keeps_the_good_entries_and_names_what_it_skipped(data):
    """Replace parts of a real bundle with junk: no crash, and every skip has a reason."""
    bundle = copy.deepcopy(BASE)
    entries = bundle["entry"]
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(entries) - 1))
        resource = entries[i]["resource"]
        key = data.draw(st.sampled_from(sorted(resource)))
        resource[key] = data.draw(json_values)
    try:
        result = read_bundle(json.dumps(bundle))
    except FhirImportError:
        return
    assert all(s.reason for s in result.skipped)
    assert len(result.nights) + len(result.episodes) + len(result.skipped) <= len(entries) + 5
