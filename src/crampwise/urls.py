from django.urls import include, path

from crampwise.accounts import views as account_views
from crampwise.api.urls import api_urls
from crampwise.diary import pwa, views
from crampwise.insights import views as insight_views

# The resolver tries these in order: the pages of every morning come first.
urlpatterns = [
    path("", views.home, name="home"),
    path("checkin/", views.checkin, name="checkin"),
    path("history/", views.history, name="history"),
    path("history/<str:night>/edit/", views.checkin, name="night_edit"),
    path("history/<str:night>/", views.night_detail, name="night"),
    path("history/<str:night>/delete/", views.night_delete, name="night_delete"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("night/cramp/", views.cramp_now, name="cramp_now"),
    path("night/episode/<uuid:episode_id>/", views.episode, name="episode"),
    path("night/episode/<uuid:episode_id>/delete/", views.episode_delete, name="episode_delete"),
    path("night-mode/", views.toggle_night_mode, name="night_mode"),
    path("medicines/", views.medicines, name="medicines"),
    path("medicines/<uuid:medicine_id>/", views.medicine_edit, name="medicine_edit"),
    path("factors/", views.factors, name="factors"),
    path("export/nights.csv", views.export_csv, name="export_csv"),
    path("import/", views.import_csv, name="import_csv"),
    path("profile/", account_views.profile, name="profile"),
    path("profile/export.zip", account_views.export_account, name="account_export"),
    path("profile/delete/", account_views.delete_account, name="account_delete"),
    path("insights/", insight_views.dashboard, name="insights"),
    path("insights/chart/<str:key>.svg", insight_views.chart, name="insight_chart"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api_urls),
    path("", include("crampwise.api.web_urls")),
    path("", include("crampwise.clinician.urls")),
    path("", include("crampwise.guidance.urls")),
    path("", include("crampwise.trials.urls")),
    path("", include("crampwise.reminders.urls")),
    path("", include("crampwise.series.urls")),
]
