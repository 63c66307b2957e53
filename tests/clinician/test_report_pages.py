"""The report page and PDF for the owner: same content as the PDF, accessible markup, the period form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from crampwise.clinician.loading import last_night

pytestmark = pytest.mark.django_db


def test_the_report_page_answers_the_doctors_questions(owner_client, alice_diary):
    """Headings in order, the rate with its nights, the chart with alt text, tables with captions."""
    response = owner_client.get(reverse("report"))
    html = response.content.decode()
    report = response.context["report"]
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[:8] == [
        "How often",
        "Red flags and findings",
        "How bad",
        "Since when",
        "Where and when",
        "Medicines now",
        "What was tried, and what helped",
        "Personal trials",
    ]
    assert report["often"]["sentence"] in html
    assert f'alt="{report["chart"]["alt"]}"' in html and 'src="data:image/svg+xml;base64,' in html
    assert html.count("<caption id=") >= 2 and 'scope="col"' in html and 'scope="row"' in html
    assert "style=" not in html.split("<main", 1)[1] and "<script" not in html.split("<main", 1)[1]
    assert "not recorded" in html  # the missing nights are rows, not zeros
    assert report["often"]["nights_recorded"] == 25 and report["often"]["nights_in_range"] == 84


def test_the_period_form_changes_the_nights_and_the_pdf_link_keeps_them(owner_client, alice_diary):
    """start/end in the query string set the range; the PDF link carries them."""
    end = last_night(alice_diary)
    start = end - timedelta(days=13)
    response = owner_client.get(
        reverse("report"), {"start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.context["report"]["range"]["nights"] == 14
    assert (
        f"start={start.isoformat()}&amp;end={end.isoformat()}&amp;paper=a4"
        in response.content.decode()
    )
    pdf = owner_client.get(
        reverse("report_pdf"),
        {"start": start.isoformat(), "end": end.isoformat(), "paper": "us-letter"},
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 612 792]" in pdf.content or re.search(
        rb"/MediaBox\s*\[0 0 612 792\]", pdf.content
    )


def test_a_backwards_or_too_long_period_is_refused_and_the_default_shown(owner_client, alice_diary):
    """The form says why, and the page falls back to the last 12 weeks."""
    response = owner_client.get(reverse("report"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert "The last night is before the first." in response.content.decode()
    assert response.context["report"]["range"]["nights"] == 84
    response = owner_client.get(reverse("report"), {"start": "2010-01-01", "end": "2026-01-01"})
    assert "at most 3 years" in response.content.decode()


def test_the_report_is_never_cached(owner_client, alice_diary):
    """Health data: no-store on the page and the PDF."""
    for name in ("report", "report_pdf"):
        assert "no-store" in owner_client.get(reverse(name))["Cache-Control"]


def test_an_empty_diary_still_gives_a_page_and_a_pdf(client, other_patient):
    """No nights: the page says so; the PDF builds."""
    client.force_login(other_patient)
    html = client.get(reverse("report")).content.decode()
    assert "No nights recorded in this period." in html
    assert client.get(reverse("report_pdf")).content.startswith(b"%PDF-")


def test_one_date_alone_is_completed_from_the_default_or_refused(owner_client, alice_diary):
    """A first night alone runs to the last night; one after it falls back to the default."""
    end = last_night(alice_diary)
    start = end - timedelta(days=9)
    assert (
        owner_client.get(reverse("report"), {"start": start.isoformat()}).context["report"][
            "range"
        ]["nights"]
        == 10
    )
    response = owner_client.get(reverse("report"), {"start": (end + timedelta(days=5)).isoformat()})
    assert response.status_code == 200 and response.context["report"]["range"]["nights"] == 84
    assert "The period ends before it starts." in response.content.decode()


def test_the_latest_symptom_check_reaches_the_report_most_severe_first(owner_client, alice_diary):
    """Flags of the newest saved assessment are listed, urgent before routine."""
    from crampwise.guidance.models import Assessment

    Assessment.objects.create(
        user=alice_diary,
        answers={},
        evidence_version="t",
        result={
            "flags": [
                {
                    "id": "consider_neuropathy",
                    "severity": "routine",
                    "message": "Numbness may come from the nerves.",
                },
                {
                    "id": "urgent_possible_dvt",
                    "severity": "urgent",
                    "message": "One leg is swollen, warm or red.",
                },
            ]
        },
    )
    response = owner_client.get(reverse("report"))
    report = response.context["report"]
    assert "One leg is swollen, warm or red." in response.content.decode()
    ordered = report["findings"]["ordered"]
    assert (
        ordered[0]["message"] == "One leg is swollen, warm or red."
        and ordered[0]["label"] == "Urgent"
    )
    assert report["findings"]["assessment_available"] and report["key"]["urgent"] == 1


def test_a_finished_personal_trial_appears_with_its_answer(owner_client, owner):
    """A stretching trial that ended last night: remedy, dates, rate ratio and probabilities."""
    import numpy as np

    from crampwise.diary.core.records import NightRecord
    from crampwise.diary.services import import_records, last_night
    from crampwise.trials.core.design import Arm, build_schedule
    from crampwise.trials.services.lifecycle import create_trial

    start = last_night(owner) - timedelta(days=6 * 7 * 2 - 1)
    trial = create_trial(
        owner,
        remedy_id="stretching",
        kind="stretching",
        start=start,
        pairs=6,
        period_nights=7,
        washout_nights=1,
        seed=20250303,
    )
    rng = np.random.default_rng(3)
    import_records(
        owner,
        [
            NightRecord(n.night, int(rng.poisson(0.6 if n.arm is Arm.TREATMENT else 1.2)))
            for n in build_schedule(trial.design())
        ],
        [],
    )
    response = owner_client.get(reverse("report"))
    report = response.context["report"]
    assert report["trials"]["available"] and len(report["trials"]["results"]) == 1
    result = report["trials"]["results"][0]
    assert (
        result["remedy"]
        and "rate ratio" in result["line"]
        and "likely to reduce cramps" in result["line"]
    )
    assert result["line"] in response.content.decode().replace("&#x27;", "'")


def test_a_finished_trial_with_too_few_cramps_shows_no_percentage(owner_client, owner):
    """Four cramps over a whole trial: the report says there were not enough to tell, no numbers."""
    from crampwise.diary.core.records import NightRecord
    from crampwise.diary.services import import_records, last_night
    from crampwise.trials.core.design import build_schedule
    from crampwise.trials.services.lifecycle import create_trial

    start = last_night(owner) - timedelta(days=4 * 7 * 2 - 1)
    trial = create_trial(owner, remedy_id="stretching", kind="stretching", start=start, pairs=4,
                         period_nights=7, washout_nights=0, seed=20250303)  # fmt: skip
    import_records(owner, [
        NightRecord(n.night, 1 if i % 14 == 3 else 0) for i, n in enumerate(build_schedule(trial.design()))
    ], [])  # fmt: skip
    response = owner_client.get(reverse("report"))
    line = response.context["report"]["trials"]["results"][0]["line"]
    assert line == "not enough cramps to tell (4 cramps counted)"
    assert "rate ratio" not in line and "%" not in line
    assert line in response.content.decode()
