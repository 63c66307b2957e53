"""Personal trials in the web app: wizard, schedule, looks and results."""

from __future__ import annotations

from django.urls import path

from crampwise.trials import views

urlpatterns = [
    path("trials/", views.trial_list, name="trials"),
    path("trials/new/", views.trial_new, name="trial_new"),
    path("trials/new/<slug:remedy_id>/", views.trial_new_design, name="trial_new_design"),
    # A fixed page before the UUID patterns; a slug here could never be a trial id anyway.
    path("trials/looks/", views.trial_looks, name="trial_looks"),
    path("trials/<uuid:trial_id>/", views.trial_detail, name="trial_detail"),
    path("trials/<uuid:trial_id>/adherence/", views.trial_adherence, name="trial_adherence"),
    path("trials/<uuid:trial_id>/stop/", views.trial_stop, name="trial_stop"),
    path("trials/<uuid:trial_id>/report/", views.trial_report, name="trial_report"),
    path("trials/<uuid:trial_id>/packs/", views.trial_packs, name="trial_packs"),
]
