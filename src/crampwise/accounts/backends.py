from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from crampwise.prepared_sql import fetch_one_with_related

from .models import Profile

# The (user, profile) the request's session was read with (accounts/sessions.py), offered to the
# backend while Django's get_user runs for that request only (accounts/middleware.py).
read_with_session: ContextVar[tuple | None] = ContextVar("read_with_session", default=None)


class ProfileModelBackend(ModelBackend):
    """Django's backend, loading the profile with the user: every page needs both (time zone, night mode).

    When the session was read, the user and profile came with it in the same statement; otherwise
    both are read in one prepared statement (crampwise/prepared_sql.py): this runs on every request
    of a signed-in person, and the ORM's query building cost more than the reads.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        offered = read_with_session.get()
        if offered is not None and offered[0].pk == user_id:
            user, profile = offered
        else:
            try:
                user, profile = fetch_one_with_related(user_model, Profile, "user", pk=user_id)
            except (ValueError, TypeError):
                return None  # a session holding something that is not a user id
        if user is None or not self.user_can_authenticate(user):
            return None
        if profile is not None:
            # What select_related("profile") would do: both directions cached, no further query.
            user_model.profile.related.set_cached_value(user, profile)
            Profile.user.field.set_cached_value(profile, user)
        return user
