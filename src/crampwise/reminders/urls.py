"""Web pages of the reminders app."""

from django.urls import path

from crampwise.reminders import views

urlpatterns: list = [
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="reminders_unsubscribe"),
]
