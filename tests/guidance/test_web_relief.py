"""The relief guide on the night log's episode page, while a cramp is going on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from crampwise.core.knowledge import load_red_flags, load_relief_guide
from crampwise.diary import services
from crampwise.guidance.templatetags.guidance_tags import chosen_muscle, prolonged_cramp_warning

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cramp(owner):
    episode, _ = services.log_episode(owner)
    return episode


def episode_page(client, episode, query: str = "") -> str:
    response = client.get(reverse("episode", args=[episode.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def shown_stretch(html: str) -> str:
    """The title of the one stretch not hidden (the page holds them all; episode.js swaps them)."""
    shown = re.findall(r'<div class="relief-stretch" data-stretch="\w+">\s*<h3>([^<]+)</h3>', html)
    assert len(shown) == 1, shown
    return shown[0]


def test_a_cramp_with_no_muscle_gets_the_calf_stretch(owner_client, cramp):
    """The calf is where most night cramps strike, so it is the default."""
    html = episode_page(owner_client, cramp)
    assert shown_stretch(html) == escape(load_relief_guide().for_muscle("calf").title)


def test_the_muscle_logged_on_the_episode_is_shown(owner_client, cramp):
    """A cramp logged in the foot shows the foot stretch."""
    cramp.muscle = "foot"
    cramp.save()
    assert shown_stretch(episode_page(owner_client, cramp)) == "Cramp in the foot"


@pytest.mark.parametrize("muscle", [m.muscle for m in load_relief_guide().muscles])
def test_a_link_switches_the_muscle_without_javascript(owner_client, cramp, muscle):
    """?muscle=... shows that stretch, its drawing and steps, and marks the current choice."""
    stretch = load_relief_guide().for_muscle(muscle)
    html = episode_page(owner_client, cramp, f"?muscle={muscle}")
    assert shown_stretch(html) == escape(stretch.title)
    assert f'href="?muscle={muscle}#relief" data-muscle="{muscle}" aria-current="true"' in html
    assert html.count('aria-current="true"') == 1
    assert f'role="img" aria-label="{escape(stretch.alt)}"' in html
    for step in stretch.steps:
        assert escape(step) in html


def test_an_unknown_muscle_in_the_url_falls_back(owner_client, cramp):
    """A made-up muscle is ignored, not an error."""
    assert shown_stretch(episode_page(owner_client, cramp, "?muscle=ear")) == "Cramp in the calf"
    assert chosen_muscle("ear", "toes") == "toes"
    assert chosen_muscle(None, "") == "calf"


def test_standing_walking_and_rubbing_are_shown_with_drawings(owner_client, cramp):
    """The other techniques follow the stretch, each with alt text and steps."""
    html = episode_page(owner_client, cramp)
    for technique in load_relief_guide().techniques:
        assert f"<h3>{escape(technique.title)}</h3>" in html
        assert f'aria-label="{escape(technique.alt)}"' in html
        for step in technique.steps:
            assert escape(step) in html


def test_the_drawings_are_inline_without_scripts_or_styles(owner_client, cramp):
    """Inline SVG takes the text colour (night mode) and needs nothing the CSP forbids."""
    html = episode_page(owner_client, cramp)
    guide = html.split('<section class="relief-guide', 1)[1].split("</section>", 1)[0]
    # Every stretch is on the page (one shown, the rest hidden until chosen), then the techniques.
    guide_data = load_relief_guide()
    assert guide.count("<svg") == len(guide_data.muscles) + len(guide_data.techniques)
    assert "<script" not in guide and "style=" not in guide and "<style" not in guide
    assert "<title" not in guide  # the English-only title would override the translated alt


def test_the_ten_minute_warning_is_worded_by_the_red_flag_data(owner_client, cramp):
    """The hidden prompt the timer reveals says what the prolonged-cramp red flag says."""
    flag = load_red_flags()["urgent_prolonged_cramp"]
    html = episode_page(owner_client, cramp)
    warning = re.search(r'<p class="timer-warning" hidden>([^<]+)</p>', html).group(1)
    assert warning == escape(f"{flag.message} {flag.action}")
    assert prolonged_cramp_warning() == f"{flag.message} {flag.action}"


def test_the_guide_is_gone_once_the_cramp_is_over(owner_client, cramp):
    """After “It's over” the page is for details only."""
    cramp.ended_at = timezone.now() + timedelta(minutes=1)
    cramp.save()
    html = episode_page(owner_client, cramp)
    assert "relief-guide" not in html and "timer-warning" not in html


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_nobody_else_sees_the_guide_on_alices_cramp(client, request, who, cramp):
    """Switching muscle does not open someone else's episode."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("episode", args=[cramp.pk]) + "?muscle=foot").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, cramp):
    """The episode page with its guide needs an account."""
    response = client.get(reverse("episode", args=[cramp.pk]) + "?muscle=foot")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_muscle_switch_and_where_are_one_choice(owner_client, cramp):
    """The guide's muscles are named as "Where?" names them: choosing one fills the other."""
    from crampwise.diary.forms import MUSCLE_LABELS

    html = episode_page(owner_client, cramp)
    links = re.findall(r'href="\?muscle=\w+#relief"[^>]*>([^<]+)</a>', html)
    assert len(links) == len(load_relief_guide().muscles)
    assert set(links) <= {str(label) for label in MUSCLE_LABELS.values()}
