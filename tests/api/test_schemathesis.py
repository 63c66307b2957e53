"""Schemathesis drives every operation of /api/v1/openapi.json: no server errors, no schema drift."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from crampwise.wsgi import application

# Bounded so that the whole run stays well under a minute on two shared cores.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261126,
        "generation": {"mode": "all", "max-examples": 15},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def wsgi_calls_in_the_test_transaction(settings):
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PER_IP = "100000/min"
    # Django's test client does the same: a request must not close the test's database
    # connection (and with it the transaction that each test runs in).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owner_diary(owner):
    """Records to list and read, so that item schemas are checked too, not only empty pages."""
    from datetime import UTC, date, datetime

    from crampwise.diary import services
    from crampwise.diary.models import CustomFactor, Medicine

    CustomFactor.objects.create(user=owner, name="late_dinner", label="Late dinner?", kind="yes_no")
    Medicine.objects.create(user=owner, name="Ramipril", dose="5 mg", started=date(2025, 1, 1))
    services.log_episode(owner, started_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    services.save_night(
        owner,
        date(2026, 11, 19),
        reported_cramps=2,
        worst_pain=6,
        factors={"stretched": True, "fluid_glasses": 6, "hours_on_feet": 2.5, "late_dinner": False},
        medicines_taken=["Ramipril"],
        note="tired",
    )


@schema.parametrize()
@settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@pytest.mark.django_db
def test_every_operation_answers_as_documented(
    case, owner_headers, owner_diary, wsgi_calls_in_the_test_transaction
):
    """Generated requests, valid and invalid, get documented answers and never a 5xx."""
    case.call_and_validate(headers=owner_headers, checks=CHECKS)
