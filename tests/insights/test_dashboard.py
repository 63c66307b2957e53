"""The insights dashboard and `crampwise insights --json`, on a real database."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

import pytest
from click.testing import CliRunner
from django.urls import reverse

from crampwise.cli import main
from crampwise.diary import services
from crampwise.insights.loading import insights_for

pytestmark = pytest.mark.django_db

CONTRACT_SUMMARY = {
    "nights_recorded",
    "nights_with_cramps",
    "cramps_total",
    "cramps_per_week",
    "cramps_per_week_last_4_weeks",
    "cramp_free_night_fraction",
}
CONTRACT_FACTOR = {
    "name",
    "kind",
    "nights_exposed",
    "nights_unexposed",
    "rate_ratio",
    "ci95",
    "q_value",
    "verdict",
}


@pytest.fixture
def demo_user(django_user_model):
    CliRunner().invoke(main, ["demo", "--username", "ann", "--nights", "200", "--seed", "11"])
    return django_user_model.objects.get(username="ann")


def test_the_cli_prints_the_documented_json(demo_user):
    """The JSON has the contract's fields, and cramps_per_week is 7 x cramps / nights."""
    out = CliRunner().invoke(main, ["insights", "--username", "ann", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert CONTRACT_SUMMARY <= set(data["summary"])
    s = data["summary"]
    assert s["cramps_per_week"] == pytest.approx(
        7 * s["cramps_total"] / s["nights_recorded"], abs=0.01
    )
    names = {f["name"] for f in data["factors"]}
    assert {"stretched", "alcohol_units"} <= names
    for factor in data["factors"]:
        assert CONTRACT_FACTOR <= set(factor)
        assert factor["kind"] in ("yes_no", "count")
        assert factor["verdict"] in ("worse", "better", "no_clear_link", "not_enough_data")


def test_missing_nights_are_not_counted_as_zero(demo_user):
    """Recorded nights are fewer than the span: the gaps are left out of the rate."""
    data = json.loads(CliRunner().invoke(main, ["insights", "--username", "ann", "--json"]).output)
    s = data["summary"]
    assert s["nights_not_recorded"] > 0
    assert s["nights_recorded"] + s["nights_not_recorded"] == s["nights_in_span"]


def test_the_dashboard_shows_rates_charts_and_tables(client, demo_user):
    """The owner sees the rate, a chart image per section, and its table."""
    client.force_login(demo_user)
    html = client.get(reverse("insights")).content.decode()
    assert "Cramps a week" in html and "Show the numbers as a table" in html
    keys = re.findall(r"/insights/chart/([0-9a-f]{64})\.svg", html)
    assert len(keys) == 3
    svg = client.get(reverse("insight_chart", args=[keys[0]]))
    assert (
        svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    )
    # A chart of someone's nights is health data: never kept in the browser's cache.
    assert svg["Cache-Control"] == "private, no-store"


def test_charts_are_only_served_to_the_person_whose_page_made_them(
    client, demo_user, other_patient, clinician
):
    """Another patient or a clinician without a grant gets 404 for the owner's chart; anonymous must log in."""
    client.force_login(demo_user)
    key = re.findall(
        r"/insights/chart/([0-9a-f]{64})\.svg", client.get(reverse("insights")).content.decode()
    )[0]
    for someone in (other_patient, clinician):
        client.force_login(someone)
        assert client.get(reverse("insight_chart", args=[key])).status_code == 404
    client.logout()
    response = client.get(reverse("insight_chart", args=[key]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("insights")).status_code == 302


def test_an_empty_diary_gets_a_friendly_page(owner_client):
    """No nights yet: a sentence, no chart, no error."""
    html = owner_client.get(reverse("insights")).content.decode()
    assert "There is nothing to show yet" in html and "/insights/chart/" not in html


def test_a_night_with_only_logged_cramps_is_shown_as_not_confirmed_and_not_counted(
    owner_client, owner
):
    """A cramp tapped at night without a morning answer is offered for confirmation, not counted."""
    last = services.last_night(owner)
    for back in range(1, 4):
        services.save_night(owner, last - timedelta(days=back), reported_cramps=0)
    # 23:30 in the person's own time on the last night: the night log, no check-in after it.
    started = datetime.combine(last, time(23, 30), tzinfo=owner.profile.zone)
    services.log_episode(owner, started_at=started)
    summary = insights_for(owner)["summary"]
    assert summary["nights_recorded"] == 3 and summary["cramps_total"] == 0
    assert summary["not_confirmed_nights"] == [last.isoformat()]
    html = owner_client.get(reverse("insights")).content.decode()
    assert "Nights not confirmed" in html
    assert reverse("night_edit", args=[last.isoformat()]) in html
    # The morning answer confirms it: it now counts, and nothing waits.
    services.save_night(owner, last, episode_count=1, reported_cramps=1)
    summary = insights_for(owner)["summary"]
    assert summary["nights_recorded"] == 4 and summary["cramps_total"] == 1
    assert summary["nights_not_confirmed"] == 0
    assert "Nights not confirmed" not in owner_client.get(reverse("insights")).content.decode()
