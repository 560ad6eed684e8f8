from __future__ import annotations

from django.urls import path

from revisewise.discussion import views

app_name = "discussion"

urlpatterns = [
    path("", views.discussion_home, name="home"),
    path("start/", views.session_start, name="session-start"),
    path("sessions/<uuid:session_uuid>/", views.session_resume, name="session-resume"),
    path(
        "sessions/<uuid:session_uuid>/questions/<int:position>/",
        views.prompt_answer,
        name="prompt-answer",
    ),
    path(
        "sessions/<uuid:session_uuid>/answers/<uuid:answer_uuid>/",
        views.answer_feedback,
        name="answer-feedback",
    ),
    path(
        "sessions/<uuid:session_uuid>/answers/<uuid:answer_uuid>/mark/",
        views.answer_mark,
        name="answer-mark",
    ),
    path("sessions/<uuid:session_uuid>/finish/", views.session_finish, name="session-finish"),
    path("sessions/<uuid:session_uuid>/summary/", views.session_summary, name="session-summary"),
    path("learners/<uuid:learner_uuid>/", views.learner_sessions, name="learner-sessions"),
]
