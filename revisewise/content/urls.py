from __future__ import annotations

from django.urls import path

from revisewise.content import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("qualifications/<slug:slug>/", views.qualification_detail, name="qualification-detail"),
    path(
        "qualifications/<slug:qualification_slug>/units/<slug:slug>/",
        views.unit_detail,
        name="unit-detail",
    ),
]
