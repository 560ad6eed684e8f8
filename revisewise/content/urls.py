from __future__ import annotations

from django.urls import path

from revisewise.content import views, views_lint

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("authoring/lint/", views_lint.lint_report, name="lint-report"),
    path("subjects/<slug:slug>/", views.subject_detail, name="subject-detail"),
    path(
        "subjects/<slug:subject_slug>/<slug:slug>/",
        views.awarding_body_detail,
        name="awarding-body-detail",
    ),
    path("qualifications/<slug:slug>/", views.qualification_detail, name="qualification-detail"),
    path(
        "qualifications/<slug:qualification_slug>/units/<slug:slug>/",
        views.unit_detail,
        name="unit-detail",
    ),
]
