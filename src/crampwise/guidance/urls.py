"""Assessment, learn pages and the relief guide (web side of crampwise.guidance)."""

from __future__ import annotations

from django.urls import path

from crampwise.guidance import views

urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/<uuid:assessment_id>/", views.assessment_result, name="assessment_result"),
    path(
        "assessment/<uuid:assessment_id>/delete/",
        views.assessment_delete,
        name="assessment_delete",
    ),
    path("learn/", views.learn_index, name="learn"),
    # Fixed pages before the slug, so "remedies" and "sources" are never read as section slugs.
    path("learn/remedies/", views.learn_remedies, name="learn_remedies"),
    path("learn/sources/", views.learn_sources, name="learn_sources"),
    path("learn/<slug:slug>/", views.learn_section, name="learn_section"),
    path("tonight/", views.tonight, name="tonight"),
]
