"""The report's content: pure, honest about missing nights and features, equal to Insights."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from crampwise.clinician.core.feature_inputs import medicine_changes, medicine_links
from crampwise.clinician.core.report_content import build_report, default_range
from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import MedicineRecord, NightRecord
from crampwise.insights import summarize
from tests.clinician.records import END, demo_year

START, _ = default_range(END)


def year_report(**extra):
    nights, episodes, medicines = demo_year()
    return build_report(
        nights, episodes, medicines, start=START, end=END, today=END + timedelta(days=1), **extra
    )


def in_range(records):
    return [r for r in records if START <= r.night <= END]


def test_the_default_range_is_the_twelve_weeks_ending_with_the_last_night():
    """84 nights, both ends included."""
    start, end = default_range(date(2026, 11, 20))
    assert end == date(2026, 11, 20) and (end - start).days + 1 == 84


def test_the_figures_equal_insights_summarize_for_the_same_range():
    """Rate, interval, nights, pain, cramp length, nights woken, sites and weeks match summarize()."""
    nights, episodes, medicines = demo_year()
    insights = summarize(
        in_range(nights), in_range(episodes), list(medicines), BUILTIN_FACTORS, END
    )
    report = year_report(insights=insights)
    s = insights["summary"]
    often, severity = report["often"], report["severity"]
    assert often["per_week"] == s["cramps_per_week"] and often["ci95"] == s["cramps_per_week_ci95"]
    assert often["nights_recorded"] == s["nights_recorded"] and often["cramps"] == s["cramps_total"]
    assert often["nights_with_cramps"] == s["nights_with_cramps"]
    assert often["cramp_free_nights"] == s["cramp_free_nights"]
    for mine, theirs in (
        (severity["worst_pain"], s["worst_pain"]),
        (severity["duration_seconds"], s["cramp_duration_seconds"]),
    ):
        assert [mine["median"], mine["q1"], mine["q3"]] == [
            theirs["median"],
            theirs["q1"],
            theirs["q3"],
        ]
    assert severity["worst_pain"]["n"] == s["worst_pain"]["nights"]
    assert severity["duration_seconds"]["n"] == s["cramp_duration_seconds"]["episodes"]
    woken = s["nights_woken"]
    assert (severity["woken"]["nights"], severity["woken"]["nights_answered"]) == (
        woken["nights"],
        woken["nights_answered"],
    )
    assert severity["woken"]["median_minutes"] == woken["median_minutes_when_woken"]
    assert report["where"]["muscles"] == insights["timing"]["muscles"]
    assert report["where"]["sides"] == insights["timing"]["sides"]
    theirs_weeks = {w["week_start"]: w for w in insights["trend"]["weeks"]}
    compared = 0
    for week in report["trend"]["weeks"]:
        if week["week_start"] in theirs_weeks:
            other = theirs_weeks[week["week_start"]]
            assert (week["cramps"], week["nights"], week["cramps_per_week"]) == (
                other["cramps"],
                other["nights"],
                other["cramps_per_week"],
            )
            compared += 1
    assert compared >= 12
    assert report["trend"]["verdict"] == insights["trend"]["change"]["verdict"]


def test_a_missing_night_is_never_counted_as_zero():
    """Two cramps over two recorded nights of seven is 7 a week, not 2."""
    first = date(2026, 1, 5)
    nights = [
        NightRecord(first, 1),
        NightRecord(first + timedelta(days=3), 1),
        NightRecord(first + timedelta(days=4), None),
    ]
    report = build_report(
        nights, [], [], start=first, end=first + timedelta(days=6), today=date(2026, 2, 1)
    )
    assert report["often"]["per_week"] == 7.0
    assert report["often"]["nights_recorded"] == 2 and report["often"]["nights_not_recorded"] == 5
    assert "from 2 of 7 nights recorded" in report["often"]["sentence"]
    table = report["nights"]
    assert len(table) == 7 and [row["recorded"] for row in table].count(True) == 2
    assert table[4]["cramps"] is None and not table[4]["recorded"]


def test_missing_features_say_not_available_yet_instead_of_failing():
    """Without insights, the medicine matcher, the symptom check and trials, each says so."""
    report = year_report()
    assert not report["trend"]["available"] and "not available yet" in report["trend"]["sentence"]
    assert not report["tried"]["factors"]["available"]
    assert (
        not report["medicines"]["matcher_available"]
        and "not available yet" in report["medicines"]["matcher_note"]
    )
    assert not report["findings"]["assessment_available"]
    assert "not available yet" in report["findings"]["assessment_note"]
    assert not report["trials"]["available"] and "not available yet" in report["trials"]["sentence"]
    assert report["often"]["per_week"] is not None  # the core figures never depend on them


def test_present_but_empty_features_say_nothing_was_found():
    """An unanswered symptom check and no finished trial are said as such, not as missing."""
    report = year_report(assessment={"at": None, "flags": []}, trials=[], medicine_links={})
    assert report["findings"]["assessment_note"] == "The symptom check has not been answered."
    assert (
        report["trials"]["available"]
        and report["trials"]["sentence"] == "No personal trial finished yet."
    )
    assert report["medicines"]["matcher_available"]


def test_medicines_are_split_into_current_and_recent_and_linked_ones_are_flagged():
    """A statin is flagged; a medicine stopped long ago or started after the range is left out."""
    links = medicine_links(["Atorvastatin", "Ramipril"])
    medicines = [
        MedicineRecord("Atorvastatin", "20 mg", date(2026, 3, 1)),
        MedicineRecord("Ramipril", "", date(2020, 1, 1), date(2026, 10, 1)),
        MedicineRecord("Old thing", "", date(2019, 1, 1), date(2024, 1, 1)),
        MedicineRecord("Future thing", "", END + timedelta(days=3)),
    ]
    nights, episodes, _meds = demo_year()
    report = build_report(
        nights, episodes, medicines, start=START, end=END, today=END, medicine_links=links
    )
    meds = report["medicines"]
    assert [m["name"] for m in meds["current"]] == ["Atorvastatin"]
    assert [m["name"] for m in meds["recent"]] == ["Ramipril"]
    assert meds["current"][0]["linked"] and "Statins" in meds["current"][0]["link"]
    assert meds["linked"] == ["Atorvastatin"]
    assert any("Atorvastatin" in f["message"] for f in report["findings"]["diary"])


def test_a_medicine_start_is_set_against_the_cramps_before_and_after_it():
    """With the whole diary, a start inside the range gets its 4 weeks before and after."""
    changes_for = medicine_changes
    nights, episodes, _meds = demo_year()
    started = END - timedelta(days=40)
    medicines = [MedicineRecord("Amlodipine", "", started)]
    changes = changes_for(list(nights), medicines, END)
    report = build_report(
        nights, episodes, medicines, start=START, end=END, today=END, medicine_changes=changes
    )
    med = report["medicines"]["current"][0]
    assert med["started_in_range"] and med["change"] in ("rise", "fall", "no_clear_change")
    assert "4 weeks before:" in med["change_line"]


def test_red_flags_from_the_symptom_check_are_listed_with_diary_findings():
    """Urgent flags are counted; the medicine flag is left to the medicine list."""
    flags = [
        {"id": "urgent_possible_dvt", "severity": "urgent", "message": "One leg swollen."},
        {"id": "medicine_associated_with_cramps", "severity": "routine", "message": "Statin."},
        {"id": "risk_factor_age", "severity": "info", "message": "Over 50."},
    ]
    report = year_report(assessment={"at": "2026-11-01", "flags": flags})
    findings = report["findings"]
    assert [f["id"] for f in findings["flags"]] == ["urgent_possible_dvt", "risk_factor_age"]
    assert findings["urgent"] == 1 and report["key"]["urgent"] == 1
    assert findings["assessment_note"] == "From the symptom check of 1 Nov 2026."


def test_long_cramps_are_a_finding_from_the_diary():
    """A logged cramp over 10 minutes is reported with the longest one."""
    nights, episodes, medicines = demo_year()
    long_one = replace(in_range(episodes)[0], duration_seconds=25 * 60)
    report = build_report(nights, [long_one], medicines, start=START, end=END, today=END)
    assert any(
        "lasted over 10 minutes (longest 25 min)" in f["message"]
        for f in report["findings"]["diary"]
    )


def test_since_when_uses_the_whole_diary_and_says_it_is_not_the_onset():
    """The first recorded night may lie before the range."""
    report = year_report()
    nights, _e, _m = demo_year()
    first = min(n.night for n in nights if n.cramps is not None)
    assert report["since"]["first_night"] == first.isoformat() and first < START
    assert "not when the cramps began" in report["since"]["sentence"]


def test_the_report_is_plain_json():
    """Dumping and loading it gives the same dict back."""
    report = year_report(
        assessment={"at": date(2026, 11, 1), "flags": []},
        trials=[
            {
                "remedy": "Stretching",
                "started": date(2026, 6, 1),
                "ended": date(2026, 8, 1),
                "rate_ratio_median": 0.7,
                "rate_ratio_ci95": (0.5, 0.95),
                "p_reduction": 0.97,
            }
        ],
    )
    assert json.loads(json.dumps(report)) == json.loads(json.dumps(report, default=str))
    assert "rate ratio 0.70" in report["trials"]["results"][0]["line"]


def test_the_chart_has_alt_text_naming_its_lowest_and_highest_week():
    """The alt text gives the shape of the chart in words."""
    alt = year_report()["chart"]["alt"]
    assert alt.startswith("Bar chart of cramps per week") and "Lowest" in alt and "highest" in alt


def test_a_night_known_only_from_the_night_log_is_named_but_left_out_of_the_rate():
    """The doctor reads the rate over confirmed nights, and how many nights wait for an answer."""
    first = date(2026, 1, 5)
    confirmed = [NightRecord(night=first + timedelta(days=i), cramps=1) for i in range(6)]
    logged_only = NightRecord(night=first + timedelta(days=6), cramps=4, confirmed=False)
    report = build_report(
        [*confirmed, logged_only],
        [],
        [],
        start=first,
        end=first + timedelta(days=6),
        today=date(2026, 2, 1),
    )
    assert report["often"]["nights_recorded"] == 6
    assert report["often"]["cramps"] == 6
    assert report["often"]["nights_not_confirmed"] == 1
    assert (
        "1 night with cramps logged in the night has no morning answer"
        in report["often"]["sentence"]
    )


def test_a_diary_without_unconfirmed_nights_says_nothing_about_them():
    first = date(2026, 1, 5)
    nights = [NightRecord(night=first + timedelta(days=i), cramps=1) for i in range(7)]
    report = build_report(
        nights, [], [], start=first, end=first + timedelta(days=6), today=date(2026, 2, 1)
    )
    assert report["often"]["nights_not_confirmed"] == 0
    assert "morning answer" not in report["often"]["sentence"]
