from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileWithUser(ModelBackend):
    """Loads the person's profile with the user: every page reads it (time zone, night mode)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model.objects.select_related("profile").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ProfileModelBackend(ProfileWithUser, ModelBackend):
    """Django's backend (sign-in by username)."""


class ProfileAuthenticationBackend(ProfileWithUser, AuthenticationBackend):
    """allauth's backend (sign-in by email as well)."""
