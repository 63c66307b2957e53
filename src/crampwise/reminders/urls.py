"""Web pages of the reminders app."""

from django.urls import path

from crampwise.reminders import pages, views

urlpatterns = [
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="reminders_unsubscribe"),
    path("settings/reminders/", pages.reminders_page, name="reminders"),
    path("settings/reminders/pause/", pages.pause, name="reminders_pause"),
    path("settings/reminders/resume/", pages.resume, name="reminders_resume"),
    path(
        "settings/reminders/devices/<uuid:subscription_id>/remove/",
        pages.device_remove,
        name="reminders_device_remove",
    ),
    path("settings/reminders/calendar/", pages.calendar_make, name="reminders_calendar_make"),
    path(
        "settings/reminders/calendar/revoke/",
        pages.calendar_revoke,
        name="reminders_calendar_revoke",
    ),
    path("calendar/<str:token>.ics", pages.calendar_feed, name="calendar_feed"),
]
