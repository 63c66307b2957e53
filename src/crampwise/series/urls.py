"""Web pages of the series app."""

from django.urls import path

from crampwise.series import exports, pharmacy_views, views

urlpatterns = [
    path("series/", views.series_home, name="series_home"),
    path("series/join/", views.join, name="series_join"),
    path("series/join/<str:code>/", views.consent, name="series_consent"),
    path("series/enrolment/<uuid:enrolment_id>/withdraw/", views.withdraw, name="series_withdraw"),
    path(
        "series/pharmacy/<str:token>/", pharmacy_views.pharmacy_key, name="series_pharmacy_key"
    ),  # fmt: skip
    path("series/<uuid:protocol_id>/", views.series_detail, name="series_detail"),
    path("series/<uuid:protocol_id>/protocol/", views.protocol_print, name="series_protocol"),
    path(
        "series/<uuid:protocol_id>/copy/", views.protocol_copy, {"mode": "copy"}, name="series_copy"
    ),  # fmt: skip
    path(
        "series/<uuid:protocol_id>/version/",
        views.protocol_copy,
        {"mode": "version"},
        name="series_version",
    ),  # fmt: skip
    path("series/<uuid:protocol_id>/unblind/", views.series_unblind, name="series_unblind"),
    path("series/<uuid:protocol_id>/finish/", views.series_finish, name="series_finish"),
    path(
        "series/<uuid:protocol_id>/pharmacy/", pharmacy_views.send, name="series_pharmacy_send"
    ),  # fmt: skip
    path(
        "series/<uuid:protocol_id>/pharmacy/revoke/",
        pharmacy_views.revoke,
        name="series_pharmacy_revoke",
    ),  # fmt: skip
    path("series/<uuid:protocol_id>/nights.csv", exports.nights_csv, name="series_csv"),
    path("series/<uuid:protocol_id>/report.pdf", exports.report_pdf, name="series_pdf"),
    path("series/<uuid:protocol_id>/pooled.fhir.json", exports.fhir_bundle, name="series_fhir"),
]
