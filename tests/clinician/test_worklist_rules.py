"""The worklist's reasons at their edges: the pure rule, with no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crampwise.clinician.core import worklist as rules

LAST = date(2026, 12, 4)  # the reader's last night that is over
CUT = rules.Cutoffs(LAST)


def reasons(**changes):
    facts = {
        "red_flags": 0,
        "trend": "no_clear_change",
        "latest_medicine_start": None,
        "trial_look_pending": False,
        "trial_end": None,
        "last_checkin": LAST,
    }
    facts.update(changes)
    return rules.active_reasons(cutoffs=CUT, **facts)


@pytest.mark.parametrize("nights_without,expected", [(0, []), (6, []), (7, ["no_checkin"])])
def test_no_check_in_means_the_last_seven_nights_have_no_answer(nights_without, expected):
    """A check-in 6 nights back is fine; 7 unanswered nights is a reason, and so is none ever."""
    assert reasons(last_checkin=LAST - timedelta(days=nights_without)) == expected
    assert reasons(last_checkin=None) == ["no_checkin"]


@pytest.mark.parametrize("days_ago,expected", [(0, True), (27, True), (28, True), (29, False)])
def test_a_medicine_counts_as_new_for_four_weeks(days_ago, expected):
    """Started within the 28 days before today (the day after the last night)."""
    started = CUT.today - timedelta(days=days_ago)
    assert ("new_medicine" in reasons(latest_medicine_start=started)) == expected


def test_a_trial_is_ready_to_read_when_a_look_says_stop_or_it_ended_in_four_weeks():
    """A running trial's planned end in the future is not a reason; once over, it is, for 4 weeks."""
    assert reasons(trial_look_pending=True) == ["trial_ready"]
    assert reasons(trial_end=LAST + timedelta(days=3)) == []
    assert reasons(trial_end=LAST) == ["trial_ready"]
    assert reasons(trial_end=CUT.trial_since) == ["trial_ready"]
    assert reasons(trial_end=CUT.trial_since - timedelta(days=1)) == []


def test_reasons_come_in_order_of_urgency_and_a_red_flag_outweighs_the_rest():
    """All five at once are listed red flag first; the four others together score below one flag."""
    everything = reasons(
        red_flags=2, trend="more", latest_medicine_start=LAST, trial_look_pending=True,
        last_checkin=None,
    )  # fmt: skip
    assert everything == ["red_flag", "rising", "new_medicine", "trial_ready", "no_checkin"]
    assert rules.need_score(everything[1:]) < rules.need_score(["red_flag"])


def test_every_reason_has_words_and_the_trend_never_relies_on_its_arrow():
    """Each reason reads as a sentence; each trend has words beside its arrow."""
    fig = {
        "red_flags": 2, "latest_medicine_name": "Furosemide", "latest_medicine_start": LAST,
        "trial_look_pending": False, "trial_end": LAST, "last_checkin": LAST - timedelta(days=9),
    }  # fmt: skip
    texts = [rules.reason_text(key, fig, CUT) for key in rules.REASONS]
    assert texts == [
        "2 red flags in the latest symptom check",
        "Cramps rising: more than 2 months ago",
        "Started Furosemide on 4 Dec 2026",
        "Personal trial ended on 4 Dec 2026, ready to read",
        "No check-in for 9 nights",
    ]
    for verdict in rules.TREND_RANK:
        arrow, words = rules.trend_words(verdict)
        assert arrow and len(words) > 3
