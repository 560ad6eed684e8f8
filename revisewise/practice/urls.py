from __future__ import annotations

from django.urls import path

from revisewise.practice import views

app_name = "practice"

urlpatterns = [
    path("", views.practise_home, name="home"),
    path("sessions/", views.session_start, name="session-start"),
    path("sessions/<uuid:session_uuid>/", views.session_resume, name="session-resume"),
    path(
        "sessions/<uuid:session_uuid>/items/<int:number>/",
        views.session_item,
        name="session-item",
    ),
    path(
        "sessions/<uuid:session_uuid>/items/<int:number>/answer/",
        views.answer_submit,
        name="answer-submit",
    ),
    path(
        "sessions/<uuid:session_uuid>/summary/",
        views.session_summary,
        name="session-summary",
    ),
]
