"""Web pages of the reminders app."""

from django.urls import path

from crampwise.reminders import views

urlpatterns = [
    path("settings/reminders/", views.reminders_page, name="reminders"),
    path("settings/reminders/pause/", views.pause, name="reminders_pause"),
    path("settings/reminders/resume/", views.resume, name="reminders_resume"),
    path(
        "settings/reminders/devices/<uuid:subscription_id>/remove/",
        views.device_remove,
        name="reminders_device_remove",
    ),
    path("settings/reminders/calendar/", views.calendar_make, name="reminders_calendar_make"),
    path(
        "settings/reminders/calendar/revoke/",
        views.calendar_revoke,
        name="reminders_calendar_revoke",
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
