"""The calendar feed as RFC 5545 text (icalendar), from plain data.

Events are expanded, one per reminder, for the next ``WINDOW_NIGHTS`` nights, rather than one daily
recurring event: a trial night carries its own plan in the evening event's title, a pause removes
single nights, and a change of bedtime shows at the next refresh without any exception rules. Each
event's start is a local wall-clock time with the person's TZID, and the feed carries the VTIMEZONE
of that zone, so 21:30 stays 21:30 across a change to or from summer time. Calendar apps refresh a
subscribed feed about daily (REFRESH-INTERVAL), and each refresh moves the window on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration

from crampwise.core.i18n import gettext as _

WINDOW_NIGHTS = 56
EVENT_LENGTH = timedelta(minutes=10)
REFRESH = timedelta(days=1)
PRODID = "-//crampwise//reminders//EN"


@dataclass(frozen=True, slots=True)
class Slot:
    """One daily reminder: on or off, and its local time."""

    enabled: bool
    time: time


@dataclass(frozen=True, slots=True)
class Entry:
    """A text shown in the calendar: a night's trial plan, or a milestone."""

    day: date
    summary: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class FeedContent:
    zone: str
    today: date  # the person's own date when the feed is read
    evening: Slot
    morning: Slot
    paused_until: date | None
    uid_tag: str  # unique to the feed, so UIDs never collide with another person's
    link: str  # where a tap on an event leads (the site)
    stamp: datetime  # aware: when the feed was made (DTSTAMP)
    plans: Mapping[date, Entry] = field(default_factory=dict)  # trial plan by night
    milestones: Sequence[Entry] = ()


def paused(content: FeedContent, day: date) -> bool:
    return content.paused_until is not None and day <= content.paused_until


def _alarm(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    alarm.add("description", summary)
    return alarm


def _timed(content: FeedContent, uid: str, start: datetime, summary: str, text: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}-{content.uid_tag}@crampwise")
    event.add("dtstamp", content.stamp)
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", summary)
    if text:
        event.add("description", text)
    event.add("url", content.link)
    event.add("transp", "TRANSPARENT")  # a reminder does not make the person busy
    return event


def evening_event(content: FeedContent, night: date, zone: ZoneInfo) -> Event | None:
    plan = content.plans.get(night)
    ring = content.evening.enabled and not paused(content, night)
    if plan is None and not ring:
        return None
    summary = plan.summary if plan else _("crampwise: time to get ready for bed")
    text = (
        plan.description
        if plan
        else _("If a cramp wakes you tonight, open crampwise and tap “Cramp now”.")
    )
    start = datetime.combine(night, content.evening.time, tzinfo=zone)
    event = _timed(content, f"evening-{night.isoformat()}", start, summary, text)
    if ring:
        event.add_component(_alarm(summary))
    return event


def morning_event(content: FeedContent, night: date, zone: ZoneInfo) -> Event | None:
    morning = night + timedelta(days=1)
    if not content.morning.enabled or paused(content, morning):
        return None
    summary = _("crampwise: how was your night?")
    text = _("Fill in last night's check-in: it takes a minute.")
    start = datetime.combine(morning, content.morning.time, tzinfo=zone)
    event = _timed(content, f"morning-{morning.isoformat()}", start, summary, text)
    event.add_component(_alarm(summary))
    return event


def milestone_event(content: FeedContent, index: int, entry: Entry) -> Event:
    event = Event()
    event.add("uid", f"milestone-{entry.day.isoformat()}-{index}-{content.uid_tag}@crampwise")
    event.add("dtstamp", content.stamp)
    event.add("dtstart", entry.day)  # a whole day: a date, no time
    event.add("dtend", entry.day + timedelta(days=1))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    event.add("url", content.link)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(content: FeedContent) -> bytes:
    zone = ZoneInfo(content.zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("crampwise reminders"))
    calendar.add("x-wr-timezone", content.zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # an X- property is text unless told
    for offset in range(WINDOW_NIGHTS):
        night = content.today + timedelta(days=offset)
        for event in (evening_event(content, night, zone), morning_event(content, night, zone)):
            if event is not None:
                calendar.add_component(event)
    for index, entry in enumerate(content.milestones):
        calendar.add_component(milestone_event(content, index, entry))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
