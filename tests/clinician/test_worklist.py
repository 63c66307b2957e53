"""The clinician's worklist: who needs attention first, paging, search, sorting and access."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crampwise.clinician import services, worklist
from crampwise.clinician.core import worklist as rules
from crampwise.clinician.loading import last_night
from crampwise.clinician.models import AccessEvent, Grant, PatientSummary
from crampwise.diary.models import Medicine, Night
from crampwise.guidance.models import Assessment
from crampwise.trials.models import Trial
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URGENT_FLAG = {"id": "urgent_possible_dvt", "severity": "urgent", "message": "One leg swollen."}


def nights(user, counts: dict[int, int], *, skip_last: int = 0) -> None:
    """Nights ``i`` nights before the patient's last night, with ``counts[i]`` cramps."""
    end = last_night(user)
    Night.objects.bulk_create(
        Night(user=user, night=end - timedelta(days=i), reported_cramps=c)
        for i, c in counts.items()
        if i >= skip_last
    )


def steady(days: int = 90, count: int = 1) -> dict[int, int]:
    return dict.fromkeys(range(days), count)


def patient(django_user_model, clinician, username: str, counts=None, **names):
    user = make_user(django_user_model, username)
    if names:
        django_user_model.objects.filter(pk=user.pk).update(**names)
        user.refresh_from_db()
    nights(user, steady() if counts is None else counts)
    Grant.objects.create(patient=user, clinician=clinician)
    return user


def rows_of(client, **params):
    response = client.get(reverse("clinician_home"), params)
    assert response.status_code == 200
    return response, [r["username"] for r in response.context["rows"]]


@pytest.fixture
def ward(django_user_model, clinician):
    """Six patients of dr_carol, one for each reason to look (and one with none)."""
    made = {}
    made["calm"] = patient(django_user_model, clinician, "calm")
    made["silent"] = patient(django_user_model, clinician, "silent", {i: 1 for i in range(10, 90)})
    made["trial"] = patient(django_user_model, clinician, "trial")
    end = last_night(made["trial"])
    Trial.objects.create(
        owner=made["trial"], remedy_id="stretching", kind="stretching", seed=4,
        start=end - timedelta(days=32), period_nights=7, washout_nights=1, pairs=2,
        status=Trial.Status.FINISHED,
    )  # fmt: skip
    made["medicine"] = patient(django_user_model, clinician, "medicine")
    Medicine.objects.create(user=made["medicine"], name="Furosemide", started=end - timedelta(9))
    # Three a night in the last 4 weeks, none two months before: more than noise.
    rising = {i: (3 if i < 28 else 0) for i in range(90)}
    made["rising"] = patient(django_user_model, clinician, "rising", rising)
    made["red"] = patient(django_user_model, clinician, "red")
    Assessment.objects.create(
        user=made["red"], answers={}, result={"urgent": True, "flags": [URGENT_FLAG]},
        evidence_version="test",
    )  # fmt: skip
    return made


@pytest.fixture
def carol(client, clinician):
    client.force_login(clinician)
    return client


def test_patients_needing_attention_come_first_with_their_reasons_in_words(carol, ward):
    """Red flag, rising, new medicine, trial to read, no check-in, then the calm patient."""
    response, order = rows_of(carol)
    assert order == ["red", "rising", "medicine", "trial", "silent", "calm"]
    reasons = {r["username"]: [x["text"] for x in r["reasons"]] for r in response.context["rows"]}
    assert reasons["red"] == ["1 red flag in the latest symptom check"]
    assert reasons["rising"] == ["Cramps rising: more than 2 months ago"]
    assert reasons["medicine"][0].startswith("Started Furosemide on ")
    assert reasons["trial"][0].startswith("Personal trial ended on ")
    assert reasons["silent"] == ["No check-in for 10 nights"]
    assert reasons["calm"] == []
    html = response.content.decode()
    assert "1 red flag in the latest symptom check" in html and "Nothing new" in html
    assert "↑" in html and "Rising" in html  # the arrow never alone


def test_two_reasons_outrank_one_and_the_order_matches_the_pure_rule(carol, ward):
    """The need score computed in SQL is the pure rule's, reason by reason."""
    Medicine.objects.create(
        user=ward["silent"], name="Amlodipine", started=last_night(ward["silent"])
    )
    response, order = rows_of(carol)
    # Silent now has 20 + 10, as much as rising's 30: the higher rate goes first.
    assert order == ["red", "rising", "silent", "medicine", "trial", "calm"]
    scores = [rules.need_score(x["key"] for x in r["reasons"]) for r in response.context["rows"]]
    assert scores == [100, 30, 30, 20, 15, 0]


def test_the_list_pages_by_fifty_with_links_both_ways(carol, clinician, django_user_model):
    """120 patients: pages of 50, 50 and 20, with next and previous links; a bad page shows one."""
    users = [make_user(django_user_model, f"p{i:03d}") for i in range(120)]
    Grant.objects.bulk_create(Grant(patient=u, clinician=clinician) for u in users)
    today = timezone.localdate()
    PatientSummary.objects.bulk_create(
        PatientSummary(user=u, as_of=today, last_checkin=today - timedelta(1), trend="fewer")
        for u in users
    )
    response, first = rows_of(carol, sort="name")
    assert len(first) == 50 and first[0] == "p000"
    assert response.context["next_url"] and not response.context["prev_url"]
    assert "Page 1 of 3." in response.content.decode()
    _response, second = rows_of(carol, sort="name", page=2)
    response, third = rows_of(carol, sort="name", page=3)
    assert second[0] == "p050" and third == [f"p{i:03d}" for i in range(100, 120)]
    assert response.context["prev_url"] and not response.context["next_url"]
    assert len(set(first + second + third)) == 120
    assert rows_of(carol, sort="name", page="99")[1] == third
    assert rows_of(carol, sort="name", page="x")[1] == first


def test_search_finds_patients_by_username_or_display_name(carol, clinician, django_user_model):
    """Part of a username, a first name or a full name, in any case; the count is said."""
    patient(django_user_model, clinician, "mrs_h", first_name="Hilda", last_name="Ogden")
    patient(django_user_model, clinician, "stan1", first_name="Stan", last_name="Ogden")
    patient(django_user_model, clinician, "albert")
    assert rows_of(carol, q="ogden")[1] == ["mrs_h", "stan1"]
    assert rows_of(carol, q="hilda og")[1] == ["mrs_h"]
    response, found = rows_of(carol, q="ALB")
    assert found == ["albert"] and "1 patient matches “ALB”." in response.content.decode()
    response, found = rows_of(carol, q="nobody")
    assert found == [] and "No patient matches this search." in response.content.decode()
    names = {r["username"]: r["name"] for r in rows_of(carol)[0].context["rows"]}
    assert names == {"mrs_h": "Hilda Ogden", "stan1": "Stan Ogden", "albert": "albert"}


@pytest.fixture
def four(clinician, django_user_model):
    """Four patients whose every column sorts differently."""
    today = timezone.localdate()
    spec = {
        "anna": (4.0, "fewer", 1),
        "bert": (None, "not_enough_data", 20),
        "cleo": (9.5, "more", 3),
        "dan": (0.5, "no_clear_change", 2),
    }
    for name, (rate, trend, days) in spec.items():
        user = make_user(django_user_model, name)
        Grant.objects.create(patient=user, clinician=clinician)
        PatientSummary.objects.create(
            user=user, as_of=today, rate_per_week=rate, rate_nights=20 if rate else 0,
            trend=trend, trend_rank=rules.TREND_RANK[trend],
            last_checkin=today - timedelta(days=days),
        )  # fmt: skip


@pytest.mark.parametrize(
    "sort,first_click,other_way",
    [
        ("name", ["anna", "bert", "cleo", "dan"], ["dan", "cleo", "bert", "anna"]),
        ("rate", ["cleo", "anna", "dan", "bert"], ["dan", "anna", "cleo", "bert"]),
        ("trend", ["cleo", "dan", "anna", "bert"], ["bert", "anna", "dan", "cleo"]),
        ("checkin", ["bert", "cleo", "dan", "anna"], ["anna", "dan", "cleo", "bert"]),
        ("need", ["cleo", "bert", "anna", "dan"], ["dan", "anna", "bert", "cleo"]),
    ],
)
def test_each_column_sorts_both_ways_and_says_so(carol, four, sort, first_click, other_way):
    """The first click sorts the useful way; the sorted header alone carries aria-sort."""
    response, order = rows_of(carol, sort=sort)
    assert order == first_click
    html = response.content.decode()
    [(sorted_header, label)] = re.findall(
        r'<th scope="col" aria-sort="(\w+)">\s*<a[^>]*>([^<]+)', html
    )
    assert label == next(c.label for c in worklist.columns() if c.key == sort)
    direction = response.context["dir"]
    assert sorted_header == ("ascending" if direction == "asc" else "descending")
    assert html.count("aria-sort=") == 1
    assert response.context["caption"] in html  # the caption says how the rows are sorted
    flipped = "asc" if direction == "desc" else "desc"
    assert rows_of(carol, sort=sort, dir=flipped)[1] == other_way
    header = next(h for h in response.context["headers"] if h["key"] == sort)
    assert f"dir={flipped}" in header["url"]


def test_a_made_up_sort_falls_back_to_need(carol, four):
    """Unknown columns and directions are ignored, never an error."""
    assert rows_of(carol, sort="password", dir="sideways")[1] == rows_of(carol)[1]


def test_a_clinician_sees_only_patients_with_an_open_grant(
    client, ward, clinician, other_clinician, other_patient
):
    """Bob (no grant) is never listed; dr_dan sees nobody; a withdrawal empties the row at once."""
    client.force_login(clinician)
    _response, order = rows_of(client)
    assert "bob" not in order and len(order) == 6
    grant = Grant.objects.get(patient=ward["red"])
    services.revoke_grant(grant)
    assert "red" not in rows_of(client)[1]
    assert "red" not in rows_of(client, q="red")[1]
    client.force_login(other_clinician)
    response, order = rows_of(client)
    assert order == [] and "No patient shares a report with you yet." in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "other_patient"])
def test_patients_get_403_and_anonymous_visitors_log_in(client, request, who):
    """The same answers as before the worklist, with or without a query string."""
    url = reverse("clinician_home") + "?sort=rate&q=a&page=2"
    assert client.get(url).status_code == 302
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403


def test_each_patient_shown_is_audited_once_and_only_those_on_the_page(
    carol, clinician, django_user_model
):
    """60 patients: the first page writes 50 summary audit rows, the second 10."""
    users = [make_user(django_user_model, f"q{i:02d}") for i in range(60)]
    Grant.objects.bulk_create(Grant(patient=u, clinician=clinician) for u in users)
    today = timezone.localdate()
    PatientSummary.objects.bulk_create(PatientSummary(user=u, as_of=today) for u in users)
    rows_of(carol, sort="name")
    events = AccessEvent.objects.filter(what="summary", actor=clinician)
    assert events.count() == 50
    assert set(events.values_list("patient__username", flat=True)) == {
        f"q{i:02d}" for i in range(50)
    }
    rows_of(carol, sort="name", page=2)
    assert events.count() == 60


def test_the_list_reads_stored_figures_and_builds_no_report(carol, ward, monkeypatch):
    """Once computed, a view neither builds a report nor recomputes anyone's figures."""
    from crampwise.clinician import loading, summaries

    rows_of(carol)  # computes the figures missing for these older diaries
    monkeypatch.setattr(loading, "load_report", lambda *a, **k: pytest.fail("built a report"))
    monkeypatch.setattr(summaries, "compute", lambda *a, **k: pytest.fail("recomputed"))
    assert len(rows_of(carol)[1]) == 6


def test_the_worker_brings_figures_older_than_a_day_up_to_date(django_user_model, clinician):
    """A patient who writes nothing still moves on: 'the last 4 weeks' is recomputed each day."""
    from crampwise.clinician import summaries

    quiet = patient(django_user_model, clinician, "quiet")
    fresh = patient(django_user_model, clinician, "fresh")
    unshared = make_user(django_user_model, "unshared")
    for user in (quiet, fresh, unshared):
        summaries.refresh(user)
    old = timezone.now() - timedelta(days=2)
    PatientSummary.objects.filter(user__in=[quiet, unshared]).update(
        computed_at=old, rate_per_week=99.0
    )

    assert summaries.refresh_stale() == 1
    assert PatientSummary.objects.get(user=quiet).rate_per_week == pytest.approx(7.0)
    assert PatientSummary.objects.get(user=quiet).computed_at > old
    # Nobody sees an unshared patient's figures: they are left as they were.
    assert PatientSummary.objects.get(user=unshared).rate_per_week == 99.0
    assert summaries.refresh_stale() == 0
