"""The answer on the trial page and in the report, from a simulated diary where the remedy halves cramps."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.diary.core.records import NightRecord
from crampwise.diary.services import import_records, last_night, save_night
from crampwise.trials.core.design import Arm, build_schedule
from crampwise.trials.core.stopping import Decision
from crampwise.trials.models import Trial
from crampwise.trials.services.chart import chart_svg
from crampwise.trials.services.evaluation import evaluate
from crampwise.trials.services.lifecycle import create_trial, stop_trial
from crampwise.trials.services.tonight import plan_night, tonight_for

pytestmark = pytest.mark.django_db

SEED = 20250303
CONTROL_PER_NIGHT = 1.2  # about 8 cramps a week without the remedy
RATIO = 0.5  # the remedy halves them


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def finished_trial(user, *, pairs: int = 8, **kwargs) -> Trial:
    """A stretching trial whose last night ended last night."""
    start = last_night(user) - timedelta(days=2 * pairs * 7 - 1)
    return create_trial(
        user, remedy_id="stretching", kind="stretching", start=start, pairs=pairs,
        period_nights=7, washout_nights=1, seed=SEED, **kwargs,
    )  # fmt: skip


def simulate_diary(
    user, trial: Trial, *, ratio: float = RATIO, missing_every: int = 0, seed: int = 1
) -> dict:
    """Write the trial's nights into the diary: Poisson cramps, halved on remedy nights."""
    rng = np.random.default_rng(seed)
    records, skipped = [], []
    for i, night in enumerate(build_schedule(trial.design())):
        if missing_every and i % missing_every == missing_every - 1:
            skipped.append(night.night)
            continue  # not recorded: missing, never zero
        rate = CONTROL_PER_NIGHT * (ratio if night.arm is Arm.TREATMENT else 1.0)
        cramps = int(rng.poisson(rate))
        pain = int(rng.integers(3, 9)) if cramps else None
        records.append(NightRecord(night=night.night, cramps=cramps, worst_pain=pain))
    import_records(user, records, [])
    return {"records": records, "skipped": skipped}


def test_the_analysis_finds_the_halving(owner):
    """Rate ratio near 0.5 with a 95% interval below 1, on the nights the schedule says."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    rr = evaluation.analysis.rate_ratio
    assert 0.3 < rr.median < 0.75 and rr.ci95[1] < 1
    assert rr.p_reduction > 0.99 and rr.p_meaningful > 0.9
    # 16 periods of 7 nights, the first of each is washout.
    assert evaluation.analysis.nights.used == 16 * 6 and evaluation.analysis.nights.washout == 16


def test_the_trial_page_gives_the_answer_in_words_numbers_and_a_chart(owner_client, owner):
    """Headline, interval, both probabilities, pain, limits, and an SVG chart with its data table."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert re.search(
        r"(\d+%|More than 99%) likely that stretching cuts your cramps by at least 20%\.", html
    )
    assert "Chance of any cut in cramps" in html and "Chance of a cut of at least 20%" in html
    assert re.search(r"0\.\d\d \(0\.\d\d to 0\.\d\d\)", html)
    assert "On nights with a cramp, the worst pain was" in html
    assert "What this cannot tell" in html and "You knew which nights were remedy nights." in html
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert '<svg role="img" aria-label="Chart of cramps a week in each period.' in figure
    assert "<figcaption>" in figure and "<details>" in figure and 'scope="col"' in figure
    assert "Finished" in html


def test_the_chart_carries_no_style_or_script_the_csp_would_block(owner):
    """vl-convert's SVG goes inline into a page whose CSP allows no inline styles or scripts."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    svg = str(chart_svg(evaluation, "a label"))
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    assert "<style" not in svg and "aria-roledescription" not in svg


def test_a_look_says_when_the_answer_is_already_clear(owner_client, owner):
    """With cramps halved, a look after one of the pairs says it works; the page says so in words."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    assert [look.pairs_complete for look in evaluation.looks] == list(range(2, 9))
    assert any(look.decision is Decision.EFFICACY for look in evaluation.looks)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    efficacy = next(look for look in evaluation.looks if look.decision is Decision.EFFICACY)
    assert efficacy.analysis.rate_ratio.p_meaningful >= 0.9  # a halving: a worthwhile cut
    assert "the answer is already clear: stretching works for you" in html
    assert "<td>Clear: it works</td>" in html
    assert reverse("trial_looks") in html and "4 to 6 times in 100" in html


def test_looks_before_the_second_pair_are_not_made(owner_client, owner):
    """After one pair the page only says when the first look comes."""
    start = last_night(owner) - timedelta(days=13)
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=start, pairs=8,
        period_nights=7, washout_nights=1, seed=SEED,
    )  # fmt: skip
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    assert evaluation.looks == []
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "The first look comes at the end of pair 2." in html
    assert "The next look is after pair 2" in html


def test_missing_nights_are_left_out_not_counted_as_zero(owner):
    """Every seventh night unrecorded: the analysis counts them as missing, not as cramp-free."""
    trial = finished_trial(owner)
    diary = simulate_diary(owner, trial, missing_every=7)
    evaluation = evaluate(trial)
    skipped = set(diary["skipped"])
    washout = {n.night for n in evaluation.nights if n.washout}
    assert evaluation.analysis.nights.missing == len(skipped - washout)
    assert evaluation.analysis.nights.used == 112 - len(skipped | washout)


def test_a_new_trial_has_no_answer_yet(owner_client, owner):
    """Before a night on each arm is recorded, the page says what it still needs."""
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=plan_night(owner),
        pairs=8, period_nights=7, washout_nights=1,
    )  # fmt: skip
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "There is no answer yet." in html and "<figure" not in html


def test_the_schedule_table_marks_the_washout_nights_and_each_periods_plan(owner_client, owner):
    """One row a period with its plan, its dates and its washout night, in a captioned table."""
    trial = finished_trial(owner)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    table = html[html.index('id="schedule-caption"') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 16
    for plan in build_schedule(trial.design())[::7]:
        words = "With stretching" if plan.arm is Arm.TREATMENT else "Without stretching"
        row = table[table.index(f'<th scope="row">{plan.period + 1}') :]
        assert words in row[: row.index("</tr>")]
        assert plan.night.strftime("%-d %b") in row[: row.index("</tr>")]


def test_the_report_has_the_cent_items(owner_client, owner):
    """Rationale, participant, design with seed, outcomes, length, blinding, methods, periods, looks, harms, limits."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    html = owner_client.get(reverse("trial_report", args=[trial.pk])).content.decode()
    for item in (
        "CENT 2a",
        "CENT 4a",
        "CENT 3a, 5, 8–10",
        "CENT 6a",
        "CENT 7a, 7b",
        "CENT 11a",
        "CENT 12a",
        "CENT 13a, 14a, 17a",
        "CENT 7b",
        "CENT 17a",
        "CENT 19",
        "CENT 20",
    ):
        assert item in html, item
    assert str(SEED) in html and "Finished as planned." in html
    assert "Vohra S, Shamseer L" in html and "Roguin Maor N" in html


def test_stopping_keeps_the_nights_so_far_and_ends_the_plan(owner_client, owner):
    """A stopped trial answers on its nights so far; later nights have no plan; harms are reported."""
    start = last_night(owner) - timedelta(weeks=6)
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=start, pairs=8,
        period_nights=7, washout_nights=1, seed=SEED,
    )  # fmt: skip
    simulate_diary(owner, trial)
    response = owner_client.post(
        reverse("trial_stop", args=[trial.pk]),
        {"reason": "side_effects", "note": "Sore calves after stretching."},
    )
    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.status == Trial.Status.STOPPED and trial.stopped_at is not None
    assert trial.end == last_night(owner)
    assert tonight_for(owner) is None
    evaluation = evaluate(trial)
    assert evaluation.analysis is not None
    report = owner_client.get(reverse("trial_report", args=[trial.pk])).content.decode()
    assert "Sore calves after stretching." in report


def test_stopping_twice_changes_nothing(owner_client, owner):
    """A second stop (a retried post) keeps the first reason."""
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=plan_night(owner),
        pairs=8, period_nights=7, washout_nights=1,
    )  # fmt: skip
    owner_client.post(reverse("trial_stop", args=[trial.pk]), {"reason": "too_hard"})
    owner_client.post(reverse("trial_stop", args=[trial.pk]), {"reason": "other"})
    trial.refresh_from_db()
    assert trial.stop_reason == "too_hard"


def test_a_stop_without_a_reason_shows_an_error_and_keeps_running(owner_client, owner):
    """The reason is required; the error summary links to it."""
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=plan_night(owner),
        pairs=8, period_nights=7, washout_nights=1,
    )  # fmt: skip
    html = owner_client.post(reverse("trial_stop", args=[trial.pk]), {}).content.decode()
    assert 'class="error-summary" role="alert"' in html and 'href="#id_reason"' in html
    trial.refresh_from_db()
    assert trial.is_active


def test_going_on_after_a_clear_look_does_not_make_the_report_say_it_stopped(owner_client, owner):
    """The report lists only the looks that said "go on", and says in words which ones were passed."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    assert evaluation.looks_gone_past()
    assert evaluation.report["status"]["code"] == "complete"
    html = owner_client.get(reverse("trial_report", args=[trial.pk])).content.decode()
    assert "The person went on with the trial." in html


def test_stopping_because_the_answer_is_clear_reports_the_look(owner, owner_client):
    """Stopped for a clear answer after a look that said so: the report says it stopped early."""
    start = last_night(owner) - timedelta(days=8 * 7 - 1)
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=start, pairs=8,
        period_nights=7, washout_nights=1, seed=SEED,
    )  # fmt: skip
    simulate_diary(owner, trial, ratio=0.2)
    assert evaluate(trial).looks[-1].decision is Decision.EFFICACY
    stop_trial(trial, reason="answer_clear")
    report = evaluate(trial).report
    assert report["status"]["code"] == "stopped_works"


def test_a_blinded_running_trial_hides_the_arms(owner_client, owner):
    """Pack numbers instead of arms, and no per-period chart, until the trial is over."""
    start = last_night(owner) - timedelta(weeks=8)
    trial = create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=start, pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=SEED,
    )  # fmt: skip
    simulate_diary(owner, trial)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    schedule = html[html.index('id="schedule-caption"') :]
    schedule = schedule[: schedule.index("</table>")]
    assert "Pack 1" in schedule and "With magnesium" not in schedule
    assert "<figure" not in html and "take a capsule from pack" in html
    assert "You did not know which nights were remedy nights" in html


def test_a_check_in_saved_after_the_trial_changes_the_answer(owner):
    """The answer is read from the diary each time: a corrected night counts at once."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    before = evaluate(trial).analysis.treatment.cramps
    first_remedy_night = next(
        n.night for n in build_schedule(trial.design()) if n.arm is Arm.TREATMENT and not n.washout
    )
    save_night(owner, first_remedy_night, reported_cramps=9)
    after = evaluate(trial).analysis.treatment.cramps
    assert after > before


def test_the_run_in_sets_the_baseline(owner):
    """With a run-in, the run-in nights centre the prior and are not in the comparison."""
    start = last_night(owner) - timedelta(days=7 + 4 * 7 - 1)
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=start, pairs=2,
        period_nights=7, washout_nights=1, run_in_nights=7, seed=SEED,
    )  # fmt: skip
    run_in = [NightRecord(night=start + timedelta(days=i), cramps=2) for i in range(7)]
    import_records(owner, run_in, [])
    evaluation = evaluate(trial)
    assert len(evaluation.run_in) == 7
    assert evaluation.baseline_per_night == pytest.approx((14 + 0.5) / 7)
    assert all(n.night >= start + timedelta(days=7) for n in evaluation.nights)


def test_a_running_trial_with_a_clear_look_invites_a_stop(owner_client, owner):
    """The latest look of a running trial says the answer is clear and the person may stop."""
    start = last_night(owner) - timedelta(days=8 * 7 - 1)
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=start, pairs=8,
        period_nights=7, washout_nights=1, seed=SEED,
    )  # fmt: skip
    simulate_diary(owner, trial, ratio=0.2)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "stretching works for you. You may stop the trial." in html
    report = owner_client.get(reverse("trial_report", args=[trial.pk])).content.decode()
    assert "Still running." in report
    assert (
        "After pair 4 the answer is already clear: stretching works for you. You may stop" in report
    )


def test_the_pack_list_names_the_real_packs(owner_client, owner):
    """One row a period: pack number, dates, and real or dummy, as the seed drew them."""
    trial = create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=plan_night(owner), pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=SEED,
    )  # fmt: skip
    html = owner_client.get(reverse("trial_packs", args=[trial.pk])).content.decode()
    assert html.count("<td>Real</td>") == 4 and html.count("<td>Dummy</td>") == 4
    assert "Do not read this list yourself." in html


def test_too_few_cramps_show_no_percentage_on_the_page_or_in_the_report(owner_client, owner):
    """Three cramps a month: the page and the CENT report say there is not enough to tell."""
    trial = finished_trial(owner, pairs=2)
    import_records(owner, [
        NightRecord(n.night, 1 if i % 9 == 4 else 0) for i, n in enumerate(build_schedule(trial.design()))
    ], [])  # fmt: skip
    evaluation = evaluate(trial)
    assert evaluation.analysis is not None and not evaluation.analysis.enough_data
    for name in ("trial_detail", "trial_report"):
        html = owner_client.get(reverse(name, args=[trial.pk])).content.decode()
        assert "There are not yet enough cramps to tell." in html
        assert "likely that stretching" not in html and "Best guess" not in html
        assert "Chance of any cut" not in html and "Chance the ratio is below 1" not in html


def test_enough_cramps_bring_the_answer_back(owner_client, owner):
    """The same trial with a cramp most nights gives the percentages (the other side of the rule)."""
    trial = finished_trial(owner, pairs=2)
    simulate_diary(owner, trial)
    assert evaluate(trial).analysis.enough_data
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "There are not yet enough cramps to tell." not in html
    assert "likely that stretching cuts your cramps by at least 20%" in html
