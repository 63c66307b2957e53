"""The assessment in the web app: the questionnaire, the stored result and the results page."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from crampwise.core.knowledge import evidence_version
from crampwise.diary.models import Medicine
from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.inputs import SYMPTOMS
from crampwise.guidance.forms import SYMPTOM_GROUPS, SYMPTOM_QUESTIONS, AssessmentForm
from crampwise.guidance.models import Assessment

pytestmark = pytest.mark.django_db

TYPICAL = ("sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def form_data(answers: dict) -> dict:
    """The questionnaire's POST data for the assessment input ``answers``."""
    data = {
        "age": str(answers["age"]),
        "sex": answers["sex"],
        "pregnant": "yes" if answers["pregnant"] else "no",
        "conditions": answers["conditions"],
        "other_medicines": "\n".join(answers["medications"]),
    }
    for name, value in answers["symptoms"].items():
        data[f"s_{name}"] = "yes" if value else "no"
    return data


def stored(user, answers: dict) -> Assessment:
    result = assess(copy.deepcopy(answers))
    return Assessment.objects.create(
        user=user, answers=answers, result=result, evidence_version=result["evidence_version"]
    )


def test_every_symptom_has_a_plain_question_in_exactly_one_group():
    """A symptom without a question could never raise its red flag."""
    assert set(SYMPTOM_QUESTIONS) == set(SYMPTOMS)
    grouped = [s for _key, _title, symptoms in SYMPTOM_GROUPS for s in symptoms]
    assert sorted(grouped) == sorted(SYMPTOMS)


def test_the_form_is_prefilled_from_the_profile_and_current_diary_medicines(owner_client, owner):
    """Age comes from the birth year, sex from the profile, medicines still taken are ticked."""
    owner.profile.birth_year = 1950
    owner.profile.sex = "female"
    owner.profile.save()
    Medicine.objects.create(user=owner, name="Lasix")
    Medicine.objects.create(user=owner, name="Old pill", stopped=date(2020, 1, 1))
    form = owner_client.get(reverse("assessment")).context["form"]
    assert form.initial["age"] == timezone.localdate().year - 1950
    assert form.initial["sex"] == "female"
    assert form.initial["diary_medicines"] == ["Lasix"]
    assert [c[0] for c in form.fields["diary_medicines"].choices] == ["Lasix", "Old pill"]


def test_every_question_has_a_label_and_groups_have_legends(owner_client):
    """Each input is labelled; each radio and checkbox group is a fieldset with a legend."""
    html = owner_client.get(reverse("assessment")).content.decode()
    for symptom in SYMPTOMS:
        assert f'name="s_{symptom}"' in html
    ids = re.findall(r'<input[^>]+type="(?:text|number|radio|checkbox)"[^>]*id="([^"]+)"', html)
    ids += re.findall(r'<textarea[^>]*id="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    assert ids and [i for i in ids if i not in labelled] == []
    assert html.count("<fieldset") == html.count("<legend") >= len(SYMPTOMS) + 3


def test_submitting_saves_the_answers_and_the_result_and_shows_it(owner_client, owner, answers):
    """A valid questionnaire is assessed, stored with the evidence version, and shown."""
    data = answers(
        age=68,
        sex="female",
        conditions=["diabetes"],
        medications=["Lasix 40mg", "Frobnix"],
        symptoms=TYPICAL,
    )
    post = form_data(data)
    post["diary_medicines"] = []
    response = owner_client.post(reverse("assessment"), post)
    saved = Assessment.objects.get(user=owner)
    assert response.status_code == 302 and response.url == reverse(
        "assessment_result", args=[saved.pk]
    )
    assert saved.answers == data
    assert saved.result == assess(copy.deepcopy(data))
    assert saved.evidence_version == evidence_version()
    export = saved.to_export()
    assert export["answers"] == data and export["flags"] == saved.result["flags"]


def test_ticked_diary_medicines_and_typed_ones_are_both_assessed(owner_client, owner, answers):
    """The medicines list joins the diary's ticked names with the typed lines, without repeats."""
    Medicine.objects.create(user=owner, name="Lasix")
    post = form_data(answers(medications=["atorvastatin", "", "Lasix"]))
    post["diary_medicines"] = ["Lasix"]
    owner_client.post(reverse("assessment"), post)
    assert Assessment.objects.get().answers["medications"] == ["Lasix", "atorvastatin"]


def test_an_unanswered_symptom_question_is_an_error_and_nothing_is_saved(owner_client, answers):
    """Every yes/no question must be answered: a skipped one must not hide a red flag."""
    post = form_data(answers())
    del post["s_chest_pain_or_breathless"]
    response = owner_client.post(reverse("assessment"), post)
    html = response.content.decode()
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_s_chest_pain_or_breathless"' in html


def test_an_impossible_age_is_an_error(owner_client, answers):
    """Age is a whole number from 0 to 120."""
    post = form_data(answers())
    post["age"] = "130"
    assert owner_client.post(reverse("assessment"), post).status_code == 200
    assert not Assessment.objects.exists()


def test_too_many_medicines_are_refused_with_a_plain_message(owner_client, answers):
    """The assessment takes at most 100 medicines; the form says so instead of failing."""
    post = form_data(answers(medications=[f"pill{i}" for i in range(101)]))
    html = owner_client.post(reverse("assessment"), post).content.decode()
    assert "at most 100 medicines" in html and not Assessment.objects.exists()


def test_an_urgent_result_comes_first_as_an_alert_with_no_remedy_advice(
    owner_client, owner, answers
):
    """A possible clot: “Get medical help today” leads the page, and no plan follows."""
    saved = stored(owner, answers(age=70, symptoms=[*TYPICAL, "one_leg_swollen_warm_or_red"]))
    html = owner_client.get(reverse("assessment_result", args=[saved.pk])).content.decode()
    main = html.split('<main id="main" tabindex="-1">', 1)[1]
    first = re.search(r"<(section|h1|h2|p)\b[^>]*>", main)
    assert first.group(0).startswith('<section class="urgent-result" role="alert"')
    assert re.search(r"<h1[^>]*>Get medical help today</h1>", html)
    assert "swollen, warm, or red" in html
    assert (
        "Your plan" not in html and "personal trial" not in html and "stretch each calf" not in html
    )


def test_an_emergency_says_to_call_an_ambulance(owner_client, owner, answers):
    """Chest pain or breathlessness: the heading says what to do now."""
    saved = stored(owner, answers(symptoms=["chest_pain_or_breathless"]))
    html = owner_client.get(reverse("assessment_result", args=[saved.pk])).content.decode()
    assert re.search(r"<h1[^>]*>Call an ambulance now</h1>", html)
    assert "Call an ambulance now (for example" in html


def test_a_plain_result_shows_the_plan_medicines_and_citations(owner_client, owner, answers):
    """Steps first, then questions for the doctor, trials, linked and unknown medicines, sources."""
    data = answers(
        age=68,
        sex="female",
        medications=["Lasix 40mg", "bisoprolol", "lisinopril", "Frobnix"],
        symptoms=TYPICAL,
    )
    saved = stored(owner, data)
    html = owner_client.get(reverse("assessment_result", args=[saved.pk])).content.decode()
    assert 'role="alert"' not in html
    order = [
        "What your answers show",
        "Your plan",
        "Things you can do",
        "What to ask your doctor",
        "Worth testing in a personal trial",
        "Your medicines",
        "Sources",
    ]
    positions = [html.index(f">{heading}</h") for heading in order]
    assert positions == sorted(positions)
    assert "Lasix contains furosemide" in html and "Linked with cramps" in html
    studied = html.split("Studied: no link with cramps found")[1].split("</ul>")[0]
    assert "bisoprolol" in studied and "lisinopril" not in studied
    # Nobody we cite looked for a link with lisinopril: it is "not checked", never "no link".
    assert "lisinopril" in html.split("Not checked for a link with cramps")[1].split("</ul>")[0]
    assert "Not recognised" in html and "Frobnix" in html
    assert "Quinine" not in html.split("Worth testing")[1].split("Your medicines")[0]
    for key in saved.result["bibliography"]:
        assert f'id="ref-{key}"' in html and f'href="#ref-{key}"' in html


def test_a_misspelt_medicine_is_read_back(owner_client, owner, answers):
    """A fuzzy match says what it was read as, so the person can check the spelling."""
    saved = stored(owner, answers(medications=["atorvastatn"]))
    html = owner_client.get(reverse("assessment_result", args=[saved.pk])).content.decode()
    assert "we read this as atorvastatin" in html


def test_earlier_checks_are_listed_newest_first(owner_client, owner, answers):
    """The questionnaire page links to each earlier result and marks the urgent ones."""
    calm = stored(owner, answers())
    urgent = stored(owner, answers(symptoms=["soil_contaminated_wound"]))
    html = owner_client.get(reverse("assessment")).content.decode()
    calm_link = reverse("assessment_result", args=[calm.pk])
    urgent_link = reverse("assessment_result", args=[urgent.pk])
    assert html.index(urgent_link) < html.index(calm_link)
    assert html.count("(needed help soon)") == 1


def test_the_form_builds_the_documented_input(answers):
    """``answers()`` is exactly the input ``assess`` documents, pregnancy blank meaning no."""
    data = answers(age=30, sex="female", conditions=["dialysis"], medications=["Lasix"])
    post = form_data(data)
    post["pregnant"] = ""
    form = AssessmentForm(post)
    assert form.is_valid(), form.errors
    assert form.answers() == data
