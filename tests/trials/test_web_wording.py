"""The trial pages' own sentences read at grade 8 or lower, like the core's (Flesch-Kincaid)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

import pytest
import textstat
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.core.knowledge import load_knowledge
from crampwise.core.knowledge.texts import iter_patient_texts
from crampwise.diary.services import last_night
from crampwise.trials.core.design import build_schedule
from crampwise.trials.core.rules import own_label_problem
from crampwise.trials.services.evaluation import evaluate
from crampwise.trials.services.lifecycle import create_trial
from crampwise.trials.services.presentation import look_sentence, pain_sentences
from crampwise.trials.services.tonight import plan_night, plan_words
from crampwise.trials.services.wizard import baseline_sentence, diary_baseline, length_sentences
from tests.trials.test_web_results import finished_trial, simulate_diary

pytestmark = pytest.mark.django_db
MAX_GRADE = 8


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def knowledge_texts() -> set[str]:
    """The evidence base's own text: its readability is tested with the knowledge package."""
    return {" ".join(text.split()) for _where, text in iter_patient_texts(load_knowledge())}


def core_texts(report: dict) -> set[str]:
    """Sentences the trial core writes into the report (tests/trials/test_trial_wording.py)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    return found


def sentences_of(page: str, skip: set[str] = frozenset()) -> list[str]:
    """The running text of a page's main part: paragraphs and list items, tags removed."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(svg|table|form|code|h[1-6])\b.*?</\1>", " ", main, flags=re.DOTALL)
    main = re.sub(r'<ul class="sources">.*?</ul>', " ", main, flags=re.DOTALL)
    blocks = re.findall(r"<(?:p|li)\b[^>]*>((?:(?!<p\b).)*?)</(?:p|li)>", main, flags=re.DOTALL)
    skip = skip | knowledge_texts()
    texts = []
    for block in blocks:
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", block))
        text = re.sub(r"\[[\d, ]*\]", "", " ".join(text.split()))  # citation numbers
        if any(
            text == known or text.startswith(known) or known.startswith(text)
            for known in skip
            if known
        ):
            continue
        texts.extend(s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6)
    return texts


def assert_plain(texts) -> None:
    hard = [
        (round(textstat.flesch_kincaid_grade(t), 1), t)
        for t in texts
        if textstat.flesch_kincaid_grade(t) > MAX_GRADE
    ]
    assert not hard, hard


def test_plans_looks_and_length_advice_read_plainly(syllables_without_downloads, owner):
    """Every sentence the services build for a person."""
    trial = finished_trial(owner)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    texts = [plan_words(trial, n) for n in build_schedule(trial.design())[:14]]
    texts += [look_sentence(look, "stretching") for look in evaluation.looks]
    texts += pain_sentences(evaluation.analysis, "stretching")
    for rate in (None, 0, 0.5, 3, 7, 20):
        texts += length_sentences(rate, 0.5, "stretching", "stretching")
    texts += [baseline_sentence(diary_baseline(owner, plan_night(owner)))]
    texts += [own_label_problem("quinine"), own_label_problem("atorvastatin")]
    assert_plain(texts)


@pytest.mark.parametrize(
    "page",
    [
        "trial_new",
        "trial_looks",
        "design:stretching",
        "design:medicine_change",
        "design:own",
        "detail",
        "report",
    ],
)
def test_the_pages_read_plainly(syllables_without_downloads, owner_client, owner, page):
    """The running text of each trial page, sentence by sentence."""
    skip: set[str] = set()
    if page.startswith("design:"):
        url = reverse("trial_new_design", args=[page.split(":")[1]])
    elif page in ("detail", "report"):
        trial = finished_trial(owner)
        simulate_diary(owner, trial)
        url = reverse("trial_detail" if page == "detail" else "trial_report", args=[trial.pk])
        skip = core_texts(evaluate(trial).report)
    else:
        url = reverse(page)
    texts = sentences_of(owner_client.get(url).content.decode(), skip)
    assert texts
    assert_plain(texts)


def test_a_running_trials_page_reads_plainly(syllables_without_downloads, owner_client, owner):
    """Tonight's card, the morning question, the next look and the stop form's text."""
    start = last_night(owner) - timedelta(weeks=3)
    trial = create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=start, pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=11,
    )  # fmt: skip
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert_plain(sentences_of(html))
