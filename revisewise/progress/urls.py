from __future__ import annotations

from django.urls import path

from revisewise.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.progress_overview, name="overview"),
    path("plan/", views.exam_plan, name="plan"),
]
