"""A personal trial in blocks of four periods on the page, in its report and in its reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.diary.services import last_night
from crampwise.reminders.core.schedule import Kind, trial_milestones
from crampwise.trials.core.design import block_end
from crampwise.trials.services.evaluation import evaluate
from crampwise.trials.services.lifecycle import create_trial
from tests.trials.test_web_results import SEED, simulate_diary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def blocks_trial(user, *, nights_over: int, pairs: int = 8):
    """A stretching trial in blocks of four 7-night periods, ``nights_over`` nights in."""
    return create_trial(
        user, remedy_id="stretching", kind="stretching",
        start=last_night(user) - timedelta(days=nights_over - 1), pairs=pairs,
        period_nights=7, washout_nights=1, seed=SEED, block_periods=4,
    )  # fmt: skip


def test_a_blocks_trial_is_stored_and_rebuilt_with_its_blocks(owner):
    trial = blocks_trial(owner, nights_over=10)
    trial.refresh_from_db()
    design = trial.design()
    assert (trial.block_periods, design.block_periods, design.blocks) == (4, 4, 4)


def test_a_blocks_trial_needs_whole_blocks(owner):
    with pytest.raises(ValueError, match="whole blocks"):
        blocks_trial(owner, nights_over=10, pairs=3)


def test_looks_come_only_at_the_ends_of_blocks(owner_client, owner):
    """A finished trial in blocks of four: looks after 2, 4, 6 and 8 pairs, named by block."""
    trial = blocks_trial(owner, nights_over=16 * 7)
    simulate_diary(owner, trial)
    evaluation = evaluate(trial)
    assert [look.pairs_complete for look in evaluation.looks] == [2, 4, 6, 8]
    design = evaluation.design
    assert [look.night for look in evaluation.looks] == [block_end(design, b) for b in range(4)]
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "After block" in html and "After pair" not in html
    assert "Blocks finished" in html and "Pairs finished" not in html
    report = owner_client.get(reverse("trial_report", args=[trial.pk])).content.decode()
    assert "16 periods in 4 blocks of 4, 7 nights each" in report
    assert "At the end of each block of 4 periods, from block 1 on" in report
    assert "crampwise-block:{seed}:{block}:{i}" in report


def test_inside_the_first_block_the_page_names_the_first_look_by_its_block(owner_client, owner):
    """Three weeks in (three periods of a block of four) nothing is looked at yet."""
    trial = blocks_trial(owner, nights_over=21)
    simulate_diary(owner, trial)
    assert evaluate(trial).looks == []
    html = owner_client.get(reverse("trial_detail", args=[trial.pk])).content.decode()
    assert "The first look comes at the end of block 1." in html
    assert "The next look is after block 1" in html


def test_a_blocks_trial_reminds_of_looks_at_block_ends_only(owner):
    """One "look ready" after each block but the last (whose morning is the end)."""
    design = blocks_trial(owner, nights_over=1).design()
    stones = trial_milestones(design, design.end)
    looks = [m.night for m in stones if m.kind is Kind.LOOK_READY]
    assert looks == [block_end(design, b) for b in range(3)]
    changes = [m for m in stones if m.kind is Kind.PERIOD_CHANGES]
    assert len(changes) == 16 - 1  # every period but the first (there is no run-in)
