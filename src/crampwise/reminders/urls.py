"""Web pages of the reminders app."""

from django.urls import path  # noqa: F401  # filled in by the app

urlpatterns: list = []
