"""The wizard: what it offers, what it refuses, what it says about length, and what it stores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.core.knowledge import load_remedies
from crampwise.diary.core.records import NightRecord
from crampwise.diary.services import import_records
from crampwise.trials.core.design import TrialDesign, build_schedule, pair_order
from crampwise.trials.models import Trial
from crampwise.trials.services.catalogue import TrialError
from crampwise.trials.services.lifecycle import create_trial
from crampwise.trials.services.tonight import plan_night, tonight_for

pytestmark = pytest.mark.django_db

STRETCHING = {
    "period_nights": "7",
    "pairs": "8",
    "hoped_ratio": "0.5",
    "threshold": "0.8",
    "start": "tonight",
}
MAGNESIUM = {
    "period_nights": "14",
    "pairs": "4",
    "hoped_ratio": "0.5",
    "threshold": "0.8",
    "start": "tomorrow",
}
BEGIN = {"action": "begin"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def design_url(remedy_id: str) -> str:
    return reverse("trial_new_design", args=[remedy_id])


def diary_weeks(user, weeks: int, cramps_a_night: int = 1) -> None:
    """Recorded nights for the weeks before tonight."""
    tonight = plan_night(user)
    nights = [
        NightRecord(night=tonight - timedelta(days=d), cramps=cramps_a_night)
        for d in range(1, 7 * weeks + 1)
    ]
    import_records(user, nights, [])


def test_quinine_is_not_offered_and_the_page_says_why(owner_client):
    """No link to a quinine trial; a sentence (with its sources) explains why."""
    html = owner_client.get(reverse("trial_new")).content.decode()
    assert design_url("quinine") not in html
    assert (
        "Quinine is not offered." in html
        and "Only a doctor can weigh up its risks for you." in html
    )
    assert reverse("learn_sources") in html  # the sentence cites its sources


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_quinine_step_does_not_exist(owner_client, method):
    """Typing the address by hand gives 404, and nothing is created."""
    response = getattr(owner_client, method)(design_url("quinine"), {**STRETCHING, **BEGIN})
    assert response.status_code == 404 and not Trial.objects.exists()


def test_the_service_refuses_quinine_even_when_called_directly(owner):
    """The rule lives below the page too, so no other caller can skip it."""
    with pytest.raises(TrialError):
        create_trial(owner, remedy_id="quinine", kind="medicine", start=plan_night(owner),
                              pairs=4, period_nights=14, washout_nights=7, prescriber_agreed=True)  # fmt: skip


def test_only_trialable_remedies_are_offered(owner_client):
    """Every trialable remedy of the evidence base has a choice; relief during a cramp has none."""
    html = owner_client.get(reverse("trial_new")).content.decode()
    for remedy in load_remedies().values():
        offered = remedy.trialable and remedy.id != "quinine"
        assert (design_url(remedy.id) in html) is offered, remedy.id
        if not offered:
            assert owner_client.get(design_url(remedy.id)).status_code == 404
    assert design_url("own") in html


def test_safety_and_evidence_come_before_the_design(owner_client):
    """The safety notes and the evidence grade are on the page above the form."""
    html = owner_client.get(design_url("vitamin_k2")).content.decode()
    safety = html.index("Vitamin K changes how the blood thinner warfarin works.")
    grade = html.index("How sure the research is")
    assert safety < html.index("<form method") and grade < html.index("<form method")


def test_a_medicine_change_needs_the_doctors_agreement_box(owner_client, owner):
    """Without the ticked box there is an error and no trial; with it, the agreement is recorded."""
    page = owner_client.get(design_url("medicine_change")).content.decode()
    assert "Only with your doctor's agreement." in page and 'name="prescriber_agreed"' in page
    html = owner_client.post(design_url("medicine_change"), {**MAGNESIUM, **BEGIN}).content.decode()
    assert 'href="#id_prescriber_agreed"' in html and "needs your doctor&#x27;s agreement" in html
    assert not Trial.objects.exists()
    response = owner_client.post(
        design_url("medicine_change"), {**MAGNESIUM, **BEGIN, "prescriber_agreed": "on"}
    )
    assert response.status_code == 302
    trial = Trial.objects.get(owner=owner)
    assert trial.prescriber_agreed and trial.kind == "medicine" and trial.washout_nights == 7


def test_the_service_refuses_a_medicine_without_agreement(owner):
    """Calling the service without the agreement is refused as well."""
    with pytest.raises(TrialError):
        create_trial(owner, remedy_id="calcium_channel_blockers", kind="medicine",
                              start=plan_night(owner), pairs=4, period_nights=14,
                              washout_nights=7)  # fmt: skip


def test_stretching_asks_no_agreement_and_offers_no_blinding(owner_client):
    """Only medicines ask for the doctor's agreement; only capsules can be blinded."""
    html = owner_client.get(design_url("stretching")).content.decode()
    assert 'name="prescriber_agreed"' not in html and 'name="blinded"' not in html
    assert "You will know which nights are remedy nights." in html
    assert 'name="blinded"' in owner_client.get(design_url("magnesium")).content.decode()


def test_starting_a_stretching_trial_stores_its_design_and_a_seed(owner_client, owner):
    """The wizard stores the design and a seed, and opens the trial page."""
    response = owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    assert response.status_code == 302 and response.url == reverse("trial_detail", args=[trial.pk])
    assert (
        trial.remedy_id,
        trial.kind,
        trial.period_nights,
        trial.washout_nights,
        trial.pairs,
    ) == ("stretching", "stretching", 7, 1, 8)
    assert trial.start == plan_night(owner) and trial.threshold == 0.8 and not trial.blinded
    assert 0 <= trial.seed < 2**63 and trial.status == Trial.Status.ACTIVE


def test_a_supplement_gets_two_week_periods_with_a_week_of_washout(owner_client, owner):
    """Magnesium's timing comes from the evidence base; one-week periods are not offered."""
    html = owner_client.get(design_url("magnesium")).content.decode()
    assert 'name="period_nights" value="7"' not in html and 'value="14"' in html
    owner_client.post(design_url("magnesium"), {**MAGNESIUM, **BEGIN, "blinded": "on"})
    trial = Trial.objects.get(owner=owner)
    assert (trial.period_nights, trial.washout_nights, trial.blinded) == (14, 7, True)
    assert trial.start == plan_night(owner) + timedelta(days=1)


def test_the_schedule_is_rebuilt_from_the_stored_seed(owner_client, owner, other_patient):
    """Same seed and design, same schedule; the trial page shows the seed and the drawn order."""
    owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    twin = create_trial(
        other_patient, remedy_id="stretching", kind="stretching", start=trial.start, pairs=8,
        period_nights=7, washout_nights=1, run_in_nights=trial.run_in_nights, seed=trial.seed,
    )  # fmt: skip
    assert build_schedule(trial.design()) == build_schedule(twin.design())
    rebuilt = TrialDesign(start=trial.start, seed=trial.seed, pairs=8, period_nights=7,
                          washout_nights=1, run_in_nights=trial.run_in_nights)  # fmt: skip
    assert build_schedule(rebuilt) == build_schedule(trial.design())
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert str(trial.seed) in html
    table = html[html.index('id="schedule-caption"') :]
    for period, arm in enumerate(pair_order(trial.design(), 0), start=1):
        row = table[table.index(f'<th scope="row">{period}') :]
        row = row[: row.index("</tr>")]
        assert ("With stretching" if arm == "treatment" else "Without stretching") in row


def test_few_diary_nights_mean_a_run_in_week(owner_client, owner):
    """A new diary has no baseline: the page says a run-in week will measure it, and the trial has one."""
    html = owner_client.get(design_url("stretching")).content.decode()
    assert "starts with a run-in week" in html and "here is a guide" in html
    owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    assert trial.run_in_nights == 7 and trial.baseline_per_week is None


def test_the_diary_rate_sets_the_honest_length(owner_client, owner):
    """Seven cramps a week over four weeks: the page gives power's sentence and suggests its length."""
    diary_weeks(owner, 4)
    html = owner_client.get(design_url("stretching")).content.decode()
    assert "In the last 8 weeks you recorded 28 nights, with 28 cramps: about 7 a week." in html
    assert (
        "With about 7 cramps a week, 28 weeks gives a 4 in 5 chance of a clear answer if "
        "stretching halves your cramps."
    ) in html
    assert 'name="pairs" value="14"' in html  # 28 weeks of one-week periods
    owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN, "pairs": "14"})
    trial = Trial.objects.get(owner=owner)
    assert trial.run_in_nights == 0 and trial.baseline_per_week == pytest.approx(7.0)


def test_checking_the_length_does_not_start_a_trial(owner_client, owner):
    """The check button recomputes the advice for the chosen hope and length, and stores nothing."""
    diary_weeks(owner, 4)
    html = owner_client.post(
        design_url("stretching"),
        {**STRETCHING, "hoped_ratio": "0.3", "pairs": "4", "action": "check"},
    ).content.decode()
    assert not Trial.objects.exists()
    assert (
        "12 weeks gives a 4 in 5 chance of a clear answer if stretching cuts your cramps by 70%"
        in html
    )
    assert "With the length you chose, 8 weeks, the chance of a clear answer is about" in html


def test_cramps_that_are_rare_get_an_honest_no(owner_client, owner):
    """Under one cramp a week, the page says even a year is unlikely to answer."""
    tonight = plan_night(owner)
    nights = [
        NightRecord(night=tonight - timedelta(days=d), cramps=1 if d % 14 == 0 else 0)
        for d in range(1, 43)
    ]
    import_records(owner, nights, [])
    html = owner_client.get(design_url("stretching")).content.decode()
    assert "With fewer than 1 cramp a week, even a year is unlikely to give a clear answer." in html


def test_a_trial_longer_than_a_year_is_refused(owner_client):
    """Pairs times period length may not pass 52 weeks."""
    html = owner_client.post(
        design_url("magnesium"), {**MAGNESIUM, **BEGIN, "pairs": "14"}
    ).content.decode()
    assert 'href="#id_pairs"' in html and not Trial.objects.exists()


def test_an_own_remedy_needs_a_name_and_a_kind(owner_client, owner):
    """A warm bath, something you do: one-week periods with one washout night."""
    html = owner_client.post(design_url("own"), {**STRETCHING, **BEGIN}).content.decode()
    assert 'href="#id_label"' in html and not Trial.objects.exists()
    owner_client.post(
        design_url("own"), {**STRETCHING, **BEGIN, "label": " warm  bath ", "own_kind": "behaviour"}
    )
    trial = Trial.objects.get(owner=owner)
    assert (trial.remedy_id, trial.remedy_label, trial.kind, trial.washout_nights) == (
        "own",
        "warm bath",
        "behaviour",
        1,
    )
    tonight = tonight_for(owner, trial.start + timedelta(days=trial.run_in_nights))
    assert "warm bath" in tonight["words"]


def test_an_own_supplement_cannot_have_one_week_periods(owner_client):
    """Its week of washout would leave nothing to count."""
    data = {**STRETCHING, **BEGIN, "label": "pickle juice", "own_kind": "supplement"}
    html = owner_client.post(design_url("own"), data).content.decode()
    assert 'href="#id_period_nights"' in html and not Trial.objects.exists()


@pytest.mark.parametrize("label", ["Quinine sulfate", "qinine"])
def test_an_own_remedy_named_quinine_is_refused(owner_client, label):
    """Quinine cannot come in through "my own remedy" either, even misspelt."""
    data = {
        **STRETCHING,
        **BEGIN,
        "label": label,
        "own_kind": "supplement",
        "period_nights": "14",
        "pairs": "4",
    }
    html = owner_client.post(design_url("own"), data).content.decode()
    assert "Quinine is never a home trial" in html and not Trial.objects.exists()


def test_an_own_remedy_that_is_a_prescription_medicine_is_refused(owner_client):
    """A statin typed as an own remedy is sent to the medicine change, with a doctor."""
    data = {**STRETCHING, **BEGIN, "label": "atorvastatin", "own_kind": "behaviour"}
    html = owner_client.post(design_url("own"), data).content.decode()
    assert "This looks like a prescription medicine." in html and not Trial.objects.exists()


def test_only_one_trial_runs_at_a_time(owner_client, owner):
    """With a trial running, the wizard sends the person to it, and the service refuses a second."""
    owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    assert (
        "You already have a trial running"
        in owner_client.get(reverse("trial_new")).content.decode()
    )
    response = owner_client.post(design_url("magnesium"), {**MAGNESIUM, **BEGIN})
    assert response.status_code == 302 and response.url == reverse("trial_detail", args=[trial.pk])
    with pytest.raises(TrialError):
        create_trial(owner, remedy_id="magnesium", kind="supplement", start=trial.start,
                              pairs=4, period_nights=14, washout_nights=7)  # fmt: skip
    assert Trial.objects.count() == 1


def test_a_stopped_trial_makes_room_for_a_new_one(owner_client, owner):
    """After stopping, the wizard offers the remedies again."""
    owner_client.post(design_url("stretching"), {**STRETCHING, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    owner_client.post(reverse("trial_stop", args=[trial.pk]), {"reason": "other"})
    response = owner_client.post(design_url("magnesium"), {**MAGNESIUM, **BEGIN})
    assert response.status_code == 302 and Trial.objects.filter(owner=owner).count() == 2


def test_a_capsule_blind_is_refused_for_stretching(owner):
    """Nobody can stretch without knowing it."""
    with pytest.raises(TrialError):
        create_trial(owner, remedy_id="stretching", kind="stretching", start=plan_night(owner),
                              pairs=8, period_nights=7, washout_nights=1, blinded=True)  # fmt: skip


def test_a_trial_that_starts_tomorrow_says_so(owner_client, owner):
    """Before the first night the trial page gives the start date instead of a plan."""
    owner_client.post(design_url("magnesium"), {**MAGNESIUM, **BEGIN})
    trial = Trial.objects.get(owner=owner)
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "Your trial starts on the night of" in html and "Your trial: night of" not in html
    assert tonight_for(owner) is None
    assert tonight_for(owner, trial.start)["run_in"]  # a new diary: the run-in comes first


def test_choosing_magnesium_shows_the_evidence_of_no_benefit_with_its_sources(owner_client):
    """Magnesium can still be tested, but the page first says research found it does not help."""
    html = owner_client.get(reverse("trial_new_design", args=["magnesium"])).content.decode()
    notice = html[html.index('id="against-heading"') : html.index('id="evidence-heading"')]
    assert "Research found that magnesium does not help most people" in notice
    assert "Garrison SR" in notice and "Cochrane" in notice and "Roguin Maor" in notice
    assert "You can still test it for yourself." in notice
    assert 'name="pairs"' in html  # the design form is still there


def test_a_remedy_with_evidence_of_benefit_gets_no_such_notice(owner_client):
    """Stretching's page has no "does not help" notice."""
    html = owner_client.get(reverse("trial_new_design", args=["stretching"])).content.decode()
    assert 'id="against-heading"' not in html and "does not help most people" not in html
