"""What each reminder says: a short title and body in plain words, and where a tap leads.

The push payload is JSON ``{"title", "body", "url", "tag"}`` (docs/reminders.md); the service
worker shows it. The tag names the kind and night, so a second copy replaces the first on screen.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.core.knowledge import prevention_checklist
from crampwise.reminders.core.schedule import Kind
from crampwise.trials.services.tonight import tonight_for

# The evening checklist's items in a few words each, by diary factor (guidance's checklist order).
CHECKLIST_WORDS = {
    "stretched": gettext_lazy("stretch your calves"),
    "fluid_glasses": gettext_lazy("drink enough"),
    "supportive_shoes": gettext_lazy("wear shoes that support your feet"),
}


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # a path on this site
    tag: str

    def payload(self) -> dict[str, str]:
        return asdict(self)

    def absolute_url(self) -> str:
        return settings.SITE_URL + self.url


def checklist_sentence() -> str:
    words = [str(CHECKLIST_WORDS[i.diary_factor]) for i in prevention_checklist()
             if i.diary_factor in CHECKLIST_WORDS]  # fmt: skip
    if not words:
        return _("Fill in your evening checklist.")
    return _("Before bed: %(items)s.") % {"items": ", ".join(words)}


def _plan_line(user, night: date) -> tuple[str, str | None]:
    """(tonight's trial plan in words, the trial page), or ("", None) outside a trial."""
    plan = tonight_for(user, night)
    if plan is None:
        return "", None
    return plan["words"], plan["url"]


def _evening(user, night: date, in_a_trial: bool) -> Message:
    words, _url = _plan_line(user, night) if in_a_trial else ("", None)
    body = checklist_sentence()
    if words:
        body = f"{words}\n{body}"
    return Message(_("Time to get ready for bed"), body, reverse("tonight"), "")


def _morning(user, night: date) -> Message:
    body = _("Tap to say how the night of %(night)s went.") % {"night": date_format(night, "l j F")}
    return Message(
        _("How was your night?"), body, reverse("night_edit", args=[night.isoformat()]), ""
    )


def _trial(user, kind: Kind, night: date) -> Message:
    if kind is Kind.TRIAL_STARTS:
        plan = tonight_for(user, night + timedelta(days=1))
        url = plan["url"] if plan else None
        title = _("Your trial starts tomorrow")
        body = _("From tomorrow night: %(plan)s.") % {"plan": plan["plan"]} if plan else ""
    elif kind is Kind.PERIOD_CHANGES:
        words, url = _plan_line(user, night)
        title, body = _("Your trial plan changes tonight"), words
    elif kind is Kind.LOOK_READY:
        _words, url = _plan_line(user, night)
        title = _("A planned look at your trial is ready")
        body = _("See what your nights show so far.")
    else:
        _words, url = _plan_line(user, night)
        title, body = _("Your trial is over"), _("See what your nights show.")
    return Message(title, body, url or reverse("trials"), "")


def message_for(user, kind: Kind | str, night: date, in_a_trial: bool = True) -> Message:
    """The reminder ``kind`` about ``night``, in the site's language.

    ``in_a_trial=False`` (the person has no trial at all) saves looking for tonight's plan.
    """
    kind = Kind(kind)
    with translation.override(settings.LANGUAGE_CODE):
        if kind is Kind.EVENING:
            found = _evening(user, night, in_a_trial)
        elif kind is Kind.MORNING:
            found = _morning(user, night)
        else:
            found = _trial(user, kind, night)
    return Message(found.title, found.body, found.url, f"crampwise-{kind}-{night.isoformat()}")
