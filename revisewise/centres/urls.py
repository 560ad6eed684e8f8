from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from revisewise.centres import views

app_name = "centres"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.cohort_list, name="cohort-list"),
    path("cohorts/<uuid:cohort_uuid>/", views.cohort_dashboard, name="cohort-dashboard"),
    path("cohorts/<uuid:cohort_uuid>/readiness/", views.cohort_readiness, name="cohort-readiness"),
    path(
        "cohorts/<uuid:cohort_uuid>/assignments/",
        views.assignment_add,
        name="assignment-create",
    ),
    path(
        "assignments/<uuid:assignment_uuid>/retire/",
        views.assignment_retire_view,
        name="assignment-retire",
    ),
    path(
        "assignments/<uuid:assignment_uuid>/start/",
        views.assignment_start,
        name="assignment-start",
    ),
    path("learners/<uuid:learner_uuid>/", views.learner_detail, name="learner-detail"),
]
