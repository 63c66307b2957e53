"""Sharing, clinician access and the audit trail."""

from __future__ import annotations

from django.urls import path

from crampwise.clinician import views, worklist

urlpatterns = [
    path("report/", views.own_report, name="report"),
    path("report/report.pdf", views.own_report_pdf, name="report_pdf"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/links/new/", views.link_create, name="share_link_create"),
    path("sharing/links/<int:link_id>/revoke/", views.link_revoke, name="share_link_revoke"),
    path("sharing/clinicians/new/", views.grant_create, name="grant_create"),
    path("sharing/clinicians/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("s/<str:token>/", views.shared_report, name="shared_report"),
    path("s/<str:token>/report.pdf", views.shared_report_pdf, name="shared_report_pdf"),
    path("s/<str:token>/fhir.json", views.shared_fhir, name="shared_fhir"),
    path("clinician/", worklist.clinician_home, name="clinician_home"),
    path(
        "clinician/patients/<uuid:grant_id>/report/",
        views.clinician_report,
        name="clinician_report",
    ),
    path(
        "clinician/patients/<uuid:grant_id>/report.pdf",
        views.clinician_report_pdf,
        name="clinician_report_pdf",
    ),
    path(
        "clinician/patients/<uuid:grant_id>/fhir.json", views.clinician_fhir, name="clinician_fhir"
    ),
]
