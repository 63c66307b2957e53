"""The series' exports: the nights CSV row by row, a short PDF, and a valid FHIR bundle."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from crampwise.diary.models import Night
from crampwise.series.exports import render_pdf, report_data
from tests.series.builders import fill_nights, join_weeks_ago, patients, protocol_for

pytestmark = pytest.mark.django_db


def test_the_csv_has_a_row_per_patient_night_with_codes_not_usernames(
    client, clinician, django_user_model, protocol
):
    people = patients(django_user_model, 2)
    enrolments = [join_weeks_ago(p, protocol, 2) for p in people]
    fill_nights(enrolments[0], 1.0, 0.5, seed=1)
    client.force_login(clinician)
    text = client.get(reverse("series_csv", args=[protocol.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["patient"] for r in rows} == {"P01", "P02"}
    assert not any(p.get_username() in text for p in people)
    first = [r for r in rows if r["patient"] == "P01"]
    second = [r for r in rows if r["patient"] == "P02"]
    assert len(first) == len(second) == 14  # two weeks of nights that are over
    assert all(r["cramps"] != "" and r["confirmed"] == "yes" for r in first)
    # Nobody answered for P02: missing, never zero.
    assert all(r["cramps"] == "" and r["confirmed"] == "" for r in second)
    assert {r["arm"] for r in first} <= {"treatment", "control"}
    assert {r["pack"] for r in rows} == {""}  # an open series has no packs


def test_a_night_known_only_from_the_night_log_is_not_confirmed(client, clinician, owner, protocol):
    enrolment = join_weeks_ago(owner, protocol, 1)
    Night.objects.create(user=owner, night=enrolment.trial.start, episode_count=2)
    client.force_login(clinician)
    text = client.get(reverse("series_csv", args=[protocol.pk])).content.decode()
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["cramps"], row["confirmed"]) == ("2", "no")


def test_the_report_of_twelve_patients_fits_on_two_pages(django_user_model, protocol):
    for i, person in enumerate(patients(django_user_model, 12)):
        fill_nights(join_weeks_ago(person, protocol, 12), 1.0, 0.6, seed=60 + i)
    pdf = render_pdf(protocol)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2


def test_no_pooled_answer_yet_means_no_fhir_file(client, clinician, owner, protocol):
    join_weeks_ago(owner, protocol, 1)
    client.force_login(clinician)
    assert client.get(reverse("series_fhir", args=[protocol.pk])).status_code == 404


def test_the_pdf_states_a_blocks_design(clinician):
    """The PDF prints the protocol's design words, so a blocks protocol says blocks."""
    blocks = protocol_for(clinician, title="Blocks", block_periods=6, pairs=6)
    words = report_data(blocks)["words"]
    assert "in 2 blocks of 6 periods: 3 with magnesium and 3 without" in words["design"]
    assert "shuffle of each block" in words["randomisation"]
    assert render_pdf(blocks).startswith(b"%PDF")
