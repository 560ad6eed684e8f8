from __future__ import annotations

from django.urls import path

from revisewise.marking import views

app_name = "marking"

urlpatterns = [
    path("answers/", views.answer_list, name="answer-list"),
    path("answers/<uuid:answer_uuid>/", views.answer_detail, name="answer-detail"),
    path("answers/<uuid:answer_uuid>/panel/", views.answer_panel, name="answer-panel"),
    path("answers/<uuid:answer_uuid>/flag/", views.answer_flag, name="answer-flag"),
    path("answers/<uuid:answer_uuid>/retry/", views.answer_retry, name="answer-retry"),
    path("questions/<uuid:item_uuid>/", views.question_answer, name="question-answer"),
]
