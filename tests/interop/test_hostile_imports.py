"""Hostile files and bodies: every importer and the night/medicine API answer with a message,
never a traceback or a 5xx, and write all or nothing."""

from __future__ import annotations

import json
import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.api.tokens import create_token
from crampwise.cli import main
from crampwise.diary import services
from crampwise.diary.models import Medicine, Night
from crampwise.interop import FhirImportError, read_bundle

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
HOSTILE_FILES = [
    b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than Python's stack
    json.dumps(
        {
            "resourceType": "Bundle",
            "entry": [{"resource": {"resourceType": "Observation", "valueInteger": 10**30}}],
        }
    ).encode(),
    b"\xff\xfe{}",  # not UTF-8
    b"\xef\xbb\xbf" + b'{"resourceType": "Bundle"}',  # a byte-order mark
    b"\x00" * 10,
]


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("hostile", password="a long enough password 1")


@pytest.mark.parametrize("content", HOSTILE_FILES)
def test_import_fhir_answers_a_hostile_file_with_a_message(tmp_path, person, content):
    """Exit code 0 or 1 with a message; never a traceback."""
    path = tmp_path / "b.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["import", "fhir", str(path), "--username", "hostile"])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "content",
    [
        b"night,cramps\n\xff\xfe,1\n",
        b"\xef\xbb\xbfnight,cramps\n2024-01-01,1\n",
        b"\x00\x00",
        b"night,cramps\n2024-01-01," + b"9" * 5000 + b"\n",
    ],
)
def test_import_csv_answers_a_hostile_file_with_a_message(tmp_path, person, content):
    path = tmp_path / "n.csv"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["import", "csv", str(path), "--username", "hostile"])
    assert (
        result.exit_code in (0, 1)
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.output


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    bundle=st.fixed_dictionaries(
        {
            "resourceType": st.just("Bundle"),
            "entry": st.lists(
                st.fixed_dictionaries(
                    {
                        "resource": st.dictionaries(
                            st.sampled_from(
                                [
                                    "resourceType",
                                    "code",
                                    "valueInteger",
                                    "effectiveDateTime",
                                    "component",
                                    "status",
                                    "identifier",
                                ]
                            ),
                            json_values,
                        )
                    }
                ),
                max_size=4,
            ),
        }
    )
)
def test_the_fhir_reader_never_raises_on_any_json(bundle):
    """Any JSON in a bundle's entries is read or skipped with a reason."""
    try:
        read_bundle(bundle)
    except FhirImportError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(string.printable + "\x00\u2028é", max_size=300))
def test_a_csv_import_of_any_text_is_all_or_nothing(person, text):
    """Any text: either every night goes in, or a message and no row at all."""
    before = Night.objects.filter(user=person).count()
    parsed = services.import_csv(person, "night,cramps,note\n" + text)
    after = Night.objects.filter(user=person).count()
    assert parsed.ok or after == before


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(night=st.text(max_size=12), body=json_values, medicine=json_values)
def test_the_night_and_medicine_api_never_answer_5xx(client, person, night, body, medicine):
    """Any path value and any JSON body: a 2xx or 4xx answer, never a server error."""
    secret = create_token(person, "fuzz", "read-write")[1]
    headers = {"Authorization": f"Bearer {secret}"}
    medicines_before = Medicine.objects.filter(user=person).count()
    for method, url, payload in (
        ("put", f"/api/v1/nights/{night}", body),
        ("post", "/api/v1/medicines", medicine),
    ):
        response = getattr(client, method)(
            url, json.dumps(payload), content_type="application/json", headers=headers
        )
        assert response.status_code < 500, (url, payload, response.content[:300])
    # A refused medicine leaves nothing behind; an accepted one is exactly one row.
    created = 1 if response.status_code == 201 else 0
    assert Medicine.objects.filter(user=person).count() == medicines_before + created
