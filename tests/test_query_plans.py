"""Every per-person query of the hot pages reads through an index, on PostgreSQL, at honest volume.

The database holds a few thousand nights across many people (diary/core/demo.py's generator),
episodes and access-audit rows, and is ANALYZEd, so the planner's choice is the one it would make
at a clinic: a sequential scan is never forced off (that would hide it). Each hot request's SQL is
captured and EXPLAINed; a sequential scan of a per-person table that grows with use fails the test
and names the request and the query.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crampwise.clinician import services as clinician_services
from crampwise.clinician.models import AccessEvent, Grant
from crampwise.diary import services
from crampwise.diary.demo_loader import load_demo
from crampwise.diary.models import Night
from tests.conftest import ON_POSTGRES, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PEOPLE, NIGHTS = 60, 150  # about 8,000 nights: each person is under 2% of a table
# Per-person tables that grow with every night, cramp or look at a record.
GROWING_TABLES = {"diary_night", "diary_episode", "clinician_accessevent"}
CHECKIN = {
    "cramps": "2",
    "worst_pain": "5",
    "minutes_awake": "10",
    "sleep_quality": "3",
    "soreness": "1",
    "f_stretched": "yes",
    "note": "calf at 3",
}


@pytest.fixture
def clinic(django_user_model, settings):
    if not ON_POSTGRES:
        pytest.skip("query plans are checked on PostgreSQL only")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = [
        load_demo(f"plan{i:03d}", None, NIGHTS, 500 + i, "Europe/London")[0] for i in range(PEOPLE)
    ]
    doctor = make_user(django_user_model, "dr_plan", clinician=True)
    code = clinician_services.clinician_code(doctor)
    grants = [clinician_services.grant_access(p, code.code)[0] for p in people[:5]]
    # The audit trail grows by a row for each patient on each look at the list.
    now = timezone.now()
    AccessEvent.objects.bulk_create(
        AccessEvent(
            patient=people[i % PEOPLE],
            via=AccessEvent.Via.CLINICIAN,
            what=AccessEvent.What.SUMMARY,
            actor=doctor,
            at=now - timedelta(minutes=i),
        )
        for i in range(6_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return people[0], doctor, grants[0]


def scans(plan: dict) -> list[tuple[str, str]]:
    """(node type, table) of every read of a growing table in a plan."""
    found = []
    if plan.get("Relation Name") in GROWING_TABLES:
        found.append((plan["Node Type"], plan["Relation Name"]))
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


def explain(sql: str, params=None) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    return scans((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"])


class Plans:
    """The growing-table reads of every request checked, and the sequential ones among them."""

    def __init__(self, client) -> None:
        self.client, self.reads, self.problems = client, 0, []

    def check(self, method: str, url: str, data=None, expect=(200,)) -> None:
        with CaptureQueriesContext(connection) as captured:
            send = getattr(self.client, method)
            response = send(url, data) if data else send(url)
        assert response.status_code in expect, (url, response.status_code)
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            for node, table in explain(sql):
                self.reads += 1
                if node == "Seq Scan":
                    self.problems.append(f"{method.upper()} {url}: Seq Scan on {table} in: {sql}")


def test_hot_requests_never_scan_a_growing_table(client, clinic):
    """Home, check-in, history, insights, a night, the API's nights, and a clinician's list and
    report: no query reads all of the nights, episodes or audit rows to find one person's."""
    patient, doctor, grant = clinic
    night = services.last_night(patient)
    client.force_login(patient)
    plans = Plans(client)
    plans.check("get", reverse("home"))
    plans.check("get", reverse("checkin"))
    plans.check("post", reverse("checkin"), CHECKIN, expect=(302,))
    plans.check("get", reverse("history"))
    plans.check("get", reverse("insights"))
    plans.check("get", reverse("night", args=[night.isoformat()]))
    plans.check("get", "/api/v1/nights")
    client.force_login(doctor)
    plans.check("get", reverse("clinician_home"))
    plans.check("get", reverse("clinician_report", args=[grant.id]))
    assert Grant.objects.filter(clinician=doctor).count() == 5
    assert plans.problems == [], "\n\n".join(plans.problems)
    # Not vacuous: the pages did read those tables, and a query no index serves is caught.
    assert plans.reads >= 20
    unindexed = Night.objects.filter(note__contains="calf").values("id").query
    assert ("Seq Scan", "diary_night") in explain(*unindexed.sql_with_params())
