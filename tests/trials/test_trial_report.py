"""The CENT 2015 report content: every item present, per period, and ready for JSON."""

from __future__ import annotations

import json
from datetime import timedelta

from crampwise.diary.core.records import NightRecord
from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.design import TrialDesign, build_schedule
from crampwise.trials.core.observations import nights_from_diary
from crampwise.trials.core.report import trial_report
from crampwise.trials.core.stopping import interim_look
from tests.trials.factories import START

CENT_KEYS = {
    "rationale", "participant", "design", "outcomes", "sample_size", "blinding",
    "statistical_methods", "schedule", "adherence", "nights", "washout", "interim_looks",
    "summary", "harms", "limitations", "sources",
}  # fmt: skip


def _diary(design: TrialDesign, nights: int) -> list[NightRecord]:
    """Treatment nights have fewer cramps; every fifth night is unrecorded."""
    records = []
    for scheduled in build_schedule(design)[:nights]:
        if scheduled.night.toordinal() % 5 == 0:
            continue
        cramps = 0 if scheduled.arm == "treatment" and scheduled.night.day % 2 else 1
        records.append(
            NightRecord(night=scheduled.night, cramps=cramps, worst_pain=5 if cramps else None)
        )
    return records


def test_the_report_has_every_cent_item_and_serialises():
    """All sections are there and json.dumps accepts the whole dict."""
    design = TrialDesign(
        start=START, seed=42, pairs=3, period_nights=7, washout_nights=1, run_in_nights=7
    )
    nights, run_in = nights_from_diary(build_schedule(design), _diary(design, design.total_nights))
    result = analyze(nights)
    report = trial_report(design, nights, result, remedy="stretching", remedy_kind="stretching")
    assert CENT_KEYS <= set(report)
    json.dumps(report)
    assert report["status"]["code"] == "complete"
    assert report["design"]["randomization"]["seed"] == "42"
    assert report["summary"]["available"] is True
    assert report["summary"]["text"][0].endswith("cuts your cramps by at least 20%.")
    assert len(run_in) == sum(1 for d in range(7) if (START + timedelta(days=d)).toordinal() % 5)


def test_each_period_reports_its_dates_nights_and_rate():
    """The period rows add up to the night totals."""
    design = TrialDesign(start=START, seed=42, pairs=3, washout_nights=1)
    nights, _ = nights_from_diary(build_schedule(design), _diary(design, design.total_nights))
    report = trial_report(design, nights, analyze(nights), remedy="stretching")
    rows = report["schedule"]
    assert [r["period"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert sum(r["nights_used"] for r in rows) == report["nights"]["used"]
    assert sum(r["missing_nights"] for r in rows) == report["nights"]["missing"]
    assert all(r["washout_nights"] == 1 for r in rows)
    assert rows[0]["first_night"] == START.isoformat()


def test_a_trial_in_progress_without_a_result_says_so():
    """Before any night on both arms the summary is unavailable and the status is running."""
    design = TrialDesign(start=START, seed=1, pairs=4)
    nights, _ = nights_from_diary(
        build_schedule(design), _diary(design, 3), until=START + timedelta(days=2)
    )
    report = trial_report(design, nights, None, remedy="stretching")
    assert report["summary"]["available"] is False
    assert report["status"]["code"] == "in_progress"
    assert report["schedule"][3]["nights_so_far"] == 0


def test_adherence_is_summarised_per_arm():
    """Adherence answers are counted per arm and per period."""
    design = TrialDesign(start=START, seed=3, pairs=2)
    nights, _ = nights_from_diary(build_schedule(design), _diary(design, design.total_nights))
    adherence = {n.night: n.night.day % 4 != 0 for n in nights}
    report = trial_report(design, nights, analyze(nights), remedy="stretching", adherence=adherence)
    arms = report["adherence"]
    assert arms["recorded"] is True
    assert arms["treatment"]["nights_answered"] + arms["control"]["nights_answered"] == len(nights)
    assert report["schedule"][0]["nights_with_adherence_answer"] == 7


def test_an_early_stop_is_the_reported_status():
    """A look that stopped for efficacy sets the status and is listed."""
    design = TrialDesign(start=START, seed=3, pairs=4)
    records = [
        NightRecord(night=s.night, cramps=0 if s.arm == "treatment" else 1)
        for s in build_schedule(design)
    ]
    nights, _ = nights_from_diary(build_schedule(design), records, until=START + timedelta(days=27))
    look = interim_look(design, nights, 2)
    report = trial_report(design, nights, look.analysis, remedy="stretching", looks=[look])
    assert report["status"]["code"] == "stopped_works"
    assert report["interim_looks"][0]["decision"] == "efficacy"
    assert report["sample_size"]["stopping_rule"]["efficacy"] == 0.975


def _texts(value, skip=("sources", "details", "algorithm")):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _texts(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, skip)
    elif isinstance(value, str) and len(value.split()) >= 6:
        yield value


def test_the_report_reads_at_grade_8_or_lower(syllables_without_downloads):
    """Every sentence of the report, apart from citations and model details, is grade 8 or lower."""
    import textstat

    design = TrialDesign(start=START, seed=42, pairs=3, washout_nights=1)
    nights, _ = nights_from_diary(build_schedule(design), _diary(design, design.total_nights))
    report = trial_report(design, nights, analyze(nights), remedy="stretching")
    for text in _texts(report):
        assert textstat.flesch_kincaid_grade(text) <= 8, text
