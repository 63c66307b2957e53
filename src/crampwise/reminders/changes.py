"""One place to say "this person's reminders changed": the scheduler recomputes their next one.

The settings page, the reminders API and the profile API (bedtime and wake time move the default
reminder times) call ``settings_changed`` after they save. The scheduler
(``crampwise.reminders.services.reschedule``) belongs to the worker side of the reminders; until it
is there, nothing needs recomputing.
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)


def settings_changed(user) -> None:
    try:
        services = importlib.import_module("crampwise.reminders.services")
    except ImportError:
        return
    reschedule = getattr(services, "reschedule", None)
    if reschedule is not None:
        reschedule(user)
