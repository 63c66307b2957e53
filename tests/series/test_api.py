"""The series API: the owner's protocols and pooled answer, joining and withdrawing by API."""

from __future__ import annotations

import pytest

from crampwise.clinician.models import AccessEvent
from crampwise.series.models import Enrolment
from tests.conftest import make_user
from tests.series.builders import fill_nights, join_weeks_ago, patients, protocol_for

pytestmark = pytest.mark.django_db


def test_the_owner_lists_their_protocols_with_patient_counts(client, clinician, protocol, owner):
    join_weeks_ago(owner, protocol, 1)
    client.force_login(clinician)
    rows = client.get("/api/v1/series/protocols").json()
    assert [(r["title"], r["version"], r["patients"]) for r in rows] == [
        ("Magnesium for night cramps", 1, 1)
    ]
    assert rows[0]["join_code"] == protocol.join_code


def test_the_pooled_answer_is_the_pages_and_audited(client, clinician, django_user_model,
                                                    protocol):  # fmt: skip
    people = patients(django_user_model, 3)
    for i, person in enumerate(people):
        fill_nights(join_weeks_ago(person, protocol, 12), 1.0, 0.5, seed=40 + i)
    client.force_login(clinician)
    answer = client.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").json()
    assert answer["enough_data"] is True and answer["patients"] == 3
    assert answer["rate_ratio_ci95"][0] < answer["rate_ratio_median"] < answer["rate_ratio_ci95"][1]
    assert [i["patient"] for i in answer["individuals"]] == ["P01", "P02", "P03"]
    assert answer["compares"] == ["remedy nights", "nights without"]
    assert AccessEvent.objects.filter(patient__in=people, actor=clinician).count() == 3


def test_a_patient_joins_and_withdraws_by_api(client, owner, protocol):
    client.force_login(owner)
    refused = client.post("/api/v1/series/join", {"code": protocol.join_code, "consent": False},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["field"] == "consent"
    joined = client.post("/api/v1/series/join", {"code": protocol.join_code, "consent": True},
                         content_type="application/json")  # fmt: skip
    assert joined.status_code == 201
    body = joined.json()
    assert body["code"] == "P01"
    again = client.post("/api/v1/series/join", {"code": protocol.join_code, "consent": True},
                        content_type="application/json")  # fmt: skip
    assert again.json()["id"] == body["id"]
    gone = client.post(f"/api/v1/series/enrolments/{body['id']}/withdraw")
    assert gone.status_code == 204
    assert Enrolment.objects.get(pk=body["id"]).withdrawn_at is not None


def test_an_unknown_code_is_404_naming_the_code(client, owner):
    client.force_login(owner)
    answer = client.post("/api/v1/series/join", {"code": "ZZZZ2222", "consent": True},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 404 and answer.json()["detail"][0]["field"] == "code"


def test_nobody_else_reads_a_pooled_answer_or_withdraws_a_patient(client, django_user_model,
                                                                  protocol, owner, other_patient):  # fmt: skip
    enrolment = join_weeks_ago(owner, protocol, 1)
    colleague = make_user(django_user_model, "dr_dave", clinician=True)
    for who in (colleague, other_patient, owner):
        client.force_login(who)
        assert client.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").status_code == 404
    client.force_login(other_patient)
    assert client.post(f"/api/v1/series/enrolments/{enrolment.pk}/withdraw").status_code == 404
    client.logout()
    assert client.get("/api/v1/series/protocols").status_code == 401
    assert client.post("/api/v1/series/join", {"code": protocol.join_code, "consent": True},
                       content_type="application/json").status_code == 401  # fmt: skip


def test_every_series_field_is_in_docs_api_md(client):
    """Each field the series API takes or gives is explained in docs/api.md."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ProtocolOut", "PooledOut", "IndividualOut", "JoinIn", "EnrolmentOut"):
        for field in schemas[name]["properties"]:
            assert f"`{field}`" in docs, f"{name}.{field} is not documented"


def test_the_api_states_each_protocols_design(client, clinician, protocol):
    """``block_periods``: 2 for pairs, 4 for blocks of four periods."""
    protocol_for(clinician, title="Blocks", block_periods=4, pairs=4)
    client.force_login(clinician)
    rows = client.get("/api/v1/series/protocols").json()
    assert [(r["title"], r["pairs"], r["block_periods"]) for r in rows] == [
        ("Blocks", 4, 4),
        ("Magnesium for night cramps", 3, 2),
    ]


def test_a_blocks_series_pools_like_a_pairs_series(client, clinician, django_user_model):
    """Three patients on blocks of four with cramps halved: the pooled answer finds a cut."""
    blocks = protocol_for(clinician, title="Blocks", block_periods=4, pairs=4)
    for i, person in enumerate(patients(django_user_model, 3)):
        fill_nights(join_weeks_ago(person, blocks, 16), 1.0, 0.5, seed=60 + i)
    client.force_login(clinician)
    answer = client.get(f"/api/v1/series/protocols/{blocks.pk}/pooled").json()
    assert answer["enough_data"] is True and answer["patients"] == 3
    assert answer["rate_ratio_ci95"][1] < 1 and 0.3 < answer["rate_ratio_median"] < 0.75
