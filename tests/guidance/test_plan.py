"""The personal plan: non-drug steps first, questions for the doctor, remedies worth a trial."""

from __future__ import annotations

from crampwise.guidance.core.assessment import assess

TYPICAL = ("sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching")


def plan_of(answers, *, symptoms=TYPICAL, **changes):
    """The plan of someone whose cramps fit the criteria (trials are only for them)."""
    return assess(answers(symptoms=symptoms, **changes))["plan"]


def step_ids(plan):
    return [item["id"] for item in plan["steps"]]


def ask_ids(plan):
    return [item["id"] for item in plan["ask_doctor"]]


def trial_ids(plan):
    return [item["remedy"] for item in plan["trials"]]


def test_non_drug_steps_come_first_with_stretching_at_the_top(answers):
    """Stretching, what to do during a cramp, being active, fluids and shoes."""
    assert step_ids(plan_of(answers)) == [
        "stretching",
        "during_a_cramp",
        "evening_walk",
        "fluids",
        "supportive_shoes",
    ]


def test_every_plan_item_cites_a_source_or_defers_to_the_doctor(answers):
    """Items without a source are only questions for the person's own doctor or app notes."""
    plan = plan_of(
        answers,
        age=80,
        medications=["Lasix"],
        conditions=["dialysis"],
        symptoms=["numbness_or_tingling"],
    )
    unsourced = {
        item["id"] for part in ("steps", "ask_doctor") for item in plan[part] if not item["sources"]
    }
    assert unsourced <= {"ask_about_fluids", "other_findings", "ask_before_supplements"}


def test_a_linked_medicine_leads_to_a_medicine_review_and_a_change_trial(answers):
    """The review lists the medicines; the trial of a change needs the prescriber."""
    plan = plan_of(answers, medications=["Lasix 40mg", "bisoprolol"])
    review = next(item for item in plan["ask_doctor"] if item["id"] == "medicine_review")
    assert review["medicines"] == ["Lasix 40mg"]
    change = next(t for t in plan["trials"] if t["remedy"] == "medicine_change")
    assert change["needs_prescriber_agreement"] is True


def test_no_medicine_review_or_change_trial_without_a_linked_medicine(answers):
    """Negative controls alone do not call for a review."""
    plan = plan_of(answers, medications=["bisoprolol"])
    assert "medicine_review" not in ask_ids(plan)
    assert "medicine_change" not in trial_ids(plan)


def test_a_water_pill_adds_a_question_about_blood_salts(answers):
    """Diuretics: the doctor may check potassium; other linked medicines do not add this."""
    assert "blood_salts" in ask_ids(plan_of(answers, medications=["Aldactone"]))
    assert "blood_salts" not in ask_ids(plan_of(answers, medications=["Lipitor"]))


def test_blood_tests_are_always_explained(answers):
    """Which tests a doctor may consider, and that they are often not needed."""
    item = next(i for i in plan_of(answers)["ask_doctor"] if i["id"] == "blood_tests")
    assert "often not needed" in item["text"] and "allen_kirby2012" in item["sources"]


def test_trials_suggest_stretching_first_and_carry_the_wizard_fields(answers):
    """Each suggested trial gives period, washout and whether the prescriber must agree."""
    trials = plan_of(answers)["trials"]
    assert trials[0]["remedy"] == "stretching"
    assert trials[0]["default_period_nights"] == 7 and trials[0]["washout_nights"] == 1
    assert all(t["default_period_nights"] > t["washout_nights"] >= 0 for t in trials)


def test_quinine_is_never_suggested_as_a_trial(answers):
    """Even for someone who takes quinine, the plan only asks the doctor about it."""
    plan = plan_of(answers, medications=["quinine"])
    assert "quinine" not in trial_ids(plan)
    assert "quinine_review" in ask_ids(plan)


def test_pregnancy_adds_a_question_before_any_supplement(answers):
    """Pregnant: a question for the midwife or doctor before any new pill."""
    assert "ask_before_supplements" in ask_ids(plan_of(answers, sex="female", pregnant=True))
    assert "ask_before_supplements" not in ask_ids(plan_of(answers, sex="female"))


def test_magnesium_is_never_a_default_trial(answers):
    """High-certainty evidence of no benefit: the plan does not offer it to anyone."""
    for changes in ({}, {"age": 80, "sex": "female"}, {"medications": ["Lasix"]}):
        assert "magnesium" not in trial_ids(plan_of(answers, **changes))


def test_without_the_cramp_pattern_the_plan_offers_no_trial_and_says_why(answers):
    """No symptoms at all: the steps stay, the trials go, the reason is given with a source."""
    plan = plan_of(answers, symptoms=())
    assert plan["trials"] == [] and plan["steps"]
    (reason,) = plan["held_back"]
    assert reason["id"] == "not_night_cramps" and reason["sources"]


def test_people_on_dialysis_are_not_told_to_drink_more(answers):
    """Fluid advice becomes a question for their own doctor; no supplement trial either."""
    plan = plan_of(answers, conditions=["dialysis"])
    assert "fluids" not in step_ids(plan)
    assert "ask_about_fluids" in step_ids(plan)
    assert "magnesium" not in trial_ids(plan)


def test_routine_findings_are_passed_on_to_the_doctor(answers):
    """Restless legs or numbness: "tell your doctor about the other things" lists them."""
    plan = plan_of(
        answers, symptoms=["numbness_or_tingling", "urge_to_move", "relieved_by_movement"]
    )
    item = next(i for i in plan["ask_doctor"] if i["id"] == "other_findings")
    assert item["flags"] == ["consider_restless_legs", "consider_neuropathy"]


def test_there_is_no_plan_under_an_emergency(answers):
    """Chest pain: the result is urgent and the plan is null."""
    result = assess(answers(symptoms=["chest_pain_or_breathless"]))
    assert result["urgent"] is True and result["plan"] is None
