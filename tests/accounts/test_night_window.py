"""When the dim night theme switches itself on (pure rule, no Django)."""

from __future__ import annotations

from datetime import time

import pytest

from crampwise.accounts.core.nightmode import in_night_window, night_mode_on

BED, WAKE = time(22, 30), time(7, 0)


@pytest.mark.parametrize(
    ("now", "dim"),
    [
        (time(22, 29), False),
        (time(22, 30), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(3, 0), True),
        (time(6, 59), True),
        (time(7, 0), False),
        (time(12, 0), False),
    ],
)
def test_a_window_across_midnight(now, dim):
    assert in_night_window(now, BED, WAKE) is dim


def test_a_window_within_one_day_and_an_empty_one():
    assert in_night_window(time(14, 0), time(13, 0), time(15, 0))
    assert not in_night_window(time(16, 0), time(13, 0), time(15, 0))
    assert not in_night_window(time(3, 0), time(7, 0), time(7, 0))  # same times: never on


def test_a_choice_overrides_the_clock():
    assert night_mode_on("on", time(12, 0), BED, WAKE)
    assert not night_mode_on("off", time(3, 0), BED, WAKE)
    assert night_mode_on("auto", time(3, 0), BED, WAKE) and not night_mode_on(
        "auto", time(12, 0), BED, WAKE
    )
