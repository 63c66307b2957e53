"""The page about the looks along the way quotes the operating characteristics published in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.trials.core.stopping import DEFAULT_RULE
from crampwise.trials.services.presentation import LOOK_CHARACTERISTICS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "trials.md"
ROW = re.compile(
    r"^\| (\d+)/wk, (\d)-week periods[^|]*\| ([\d.]+) \| ([\d.]+) \| \**([\d.]+)%\**[^|]*\| ([\d.]+)% \| "
    r"([\d.]+)% \| ([\d.]+) \|$",
    re.MULTILINE,
)


def published_rows() -> set[tuple]:
    text = DOCS.read_text(encoding="utf-8")
    table = text[
        text.index("<!-- stopping-table:start -->") : text.index("<!-- stopping-table:end -->")
    ]
    rows = set()
    for rate, weeks, ratio, e, works, futile, end, expected in ROW.findall(table):
        if float(e) == DEFAULT_RULE.efficacy:
            rows.add(
                (
                    int(rate),
                    7 * int(weeks),
                    float(ratio),
                    float(works),
                    float(futile),
                    float(end),
                    float(expected),
                )
            )
    return rows


def test_the_quoted_numbers_are_the_published_ones():
    """Every row on the page is a row of the docs' table for the rule in use, and none is missing."""
    assert set(LOOK_CHARACTERISTICS) == published_rows()


@pytest.mark.django_db
def test_the_page_shows_the_false_it_works_rate(client):
    """The no-effect rows carry their false-positive rate, and the rule is stated in words."""
    html = client.get(reverse("trial_looks")).content.decode()
    for row in LOOK_CHARACTERISTICS:
        if row[2] == 1.0:
            assert f"<strong>{row[3]}%</strong>" in html
    assert "at least 97.5% likely" in html and "from pair 2 on" in html
    assert html.count('scope="col"') == 7 and "<caption" in html


def test_the_looks_page_says_it_works_needs_a_worthwhile_cut(client):
    """The page explains that "it works" needs the chosen cut to be 90% likely, not any cut."""
    html = client.get(reverse("trial_looks")).content.decode()
    assert (
        "It only says “it works” when a cut of the size you chose is also at least 90% likely."
        in html
    )
