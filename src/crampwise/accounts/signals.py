from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from crampwise.accounts.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Every account has a profile from its first moment, so views never need to handle "no profile".
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
