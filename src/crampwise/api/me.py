"""The signed-in person: time zone, bedtime and wake time (the same rules as the profile page).

A PATCH is checked by the profile page's own form (``accounts.forms.ProfileForm``) with the stored
values filled in for the fields left out, so the two can never take different answers.
"""

from __future__ import annotations

from datetime import time
from typing import Literal

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from crampwise.accounts.forms import ProfileForm
from crampwise.accounts.models import Profile
from crampwise.api.errors import ApiProblem, responses
from crampwise.reminders.fields import ClockTime

router = Router(tags=["me"])

Sex = Literal["female", "male", "other", ""]
NightMode = Literal["auto", "on", "off"]


class MeOut(Schema):
    username: str
    time_zone: str
    bedtime: str
    wake_time: str
    day_boundary: str
    night_mode: NightMode
    birth_year: int | None
    sex: Sex


class MePatch(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str | None = Field(
        None,
        description="An IANA zone such as Europe/London, or a city or country that has one zone.",
    )
    bedtime: ClockTime | None = Field(None, description="HH:MM. Night mode starts then.")
    wake_time: ClockTime | None = Field(None, description="HH:MM. Night mode ends then.")
    day_boundary: ClockTime | None = Field(
        None, description="HH:MM. What you log before it belongs to the night before."
    )
    night_mode: NightMode | None = Field(None, description="auto, on or off.")
    birth_year: int | None = Field(None, description="1900 to this year, or null.")
    sex: Sex | None = Field(None, description='female, male, other, or "" (prefer not to say).')


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def me_out(user) -> dict:
    p: Profile = user.profile
    return {
        "username": user.get_username(),
        "time_zone": p.time_zone,
        "bedtime": hhmm(p.bedtime),
        "wake_time": hhmm(p.wake_time),
        "day_boundary": hhmm(p.day_boundary),
        "night_mode": p.night_mode,
        "birth_year": p.birth_year,
        "sex": p.sex,
    }


def form_data(profile: Profile, changes: dict) -> dict:
    """The profile form's POST data: the stored values, with the changes over them."""
    data = {name: getattr(profile, name) for name in ProfileForm.Meta.fields}
    data.update(changes)
    for name, value in data.items():
        if isinstance(value, time):
            data[name] = hhmm(value)
        elif value is None:
            data[name] = ""
    return data


@router.get(
    "/me",
    response={200: MeOut, **responses(401, 429)},
    operation_id="getMe",
    summary="Your time zone, bedtime, wake time and profile",
)
def get_me(request):
    return me_out(request.user)


@router.patch(
    "/me",
    response={200: MeOut, **responses(400, 401, 403, 422, 429)},
    operation_id="updateMe",
    summary="Change your time zone, bedtime, wake time or profile",
)
def update_me(request, payload: MePatch):
    changes = payload.model_dump(exclude_unset=True)
    profile = request.user.profile
    form = ProfileForm(form_data(profile, changes), instance=profile)
    if not form.is_valid():
        raise ApiProblem(
            422,
            [
                (None if name == "__all__" else name, str(errors[0]))
                for name, errors in form.errors.items()
            ],
        )
    # Saving the profile reschedules the person's reminders (reminders/signals.py).
    form.save()
    return me_out(request.user)
