"""A small real diary for Alice (the owner), and the people and links of the access tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from crampwise.clinician import services
from crampwise.clinician.loading import last_night
from crampwise.clinician.models import Grant
from crampwise.diary.models import Episode, Medicine, Night
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.SITE_URL = "https://cramps.example"
    # Argon2 is slow on purpose; these tests make four accounts each and never test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice_diary(owner):
    """Four weeks of Alice's nights with a gap, two logged cramps and two medicines."""
    end = last_night(owner)
    nights = []
    for i in range(28):
        night = end - timedelta(days=i)
        if i in (3, 4, 10):
            continue  # missing nights: never zero
        nights.append(
            Night(
                user=owner,
                night=night,
                reported_cramps=i % 3,
                worst_pain=5 if i % 3 else None,
                minutes_awake=10 * (i % 3),
                sleep_quality=3,
                soreness=i % 2,
                checked_in_at=timezone.now(),
                note="left calf woke me" if i == 1 else "",
            )
        )
    Night.objects.bulk_create(nights)
    zone = owner.profile.zone
    for i, muscle in ((1, "calf"), (2, "foot")):
        started = datetime.combine(
            end - timedelta(days=i) + timedelta(days=1), time(3, 0), zone
        ).astimezone(UTC)
        Episode.objects.create(
            user=owner,
            night=end - timedelta(days=i),
            started_at=started,
            ended_at=started + timedelta(minutes=4),
            muscle=muscle,
            side="left",
            pain=6,
            reliefs=["stretch"],
        )
    Medicine.objects.create(
        user=owner, name="Atorvastatin 20 mg", started=end - timedelta(days=400)
    )
    Medicine.objects.create(
        user=owner, name="Magnesium", started=end - timedelta(days=20), purpose="cramps_preventive"
    )
    return owner


@pytest.fixture
def other_clinician(django_user_model):
    return make_user(django_user_model, "dr_dan", clinician=True)


@pytest.fixture
def grant(alice_diary, clinician):
    """dr_carol may see Alice's report."""
    return Grant.objects.create(patient=alice_diary, clinician=clinician)


@pytest.fixture
def revoked_grant(alice_diary, other_clinician):
    """dr_dan could see Alice's report once; Alice withdrew it."""
    return Grant.objects.create(
        patient=alice_diary, clinician=other_clinician, revoked_at=timezone.now()
    )


@pytest.fixture
def link(alice_diary):
    """(ShareLink, token): a working link to Alice's report."""
    return services.create_share_link(alice_diary, label="Dr Smith")


@pytest.fixture
def expired_link(alice_diary):
    made, token = services.create_share_link(alice_diary, days=1)
    made.expires_at = timezone.now() - timedelta(seconds=1)
    made.save(update_fields=["expires_at"])
    return made, token


@pytest.fixture
def revoked_link(alice_diary):
    made, token = services.create_share_link(alice_diary)
    services.revoke_link(made)
    return made, token
