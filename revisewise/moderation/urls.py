from __future__ import annotations

from django.urls import path

from revisewise.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("marked/", views.marked_list, name="marked-list"),
    path("<uuid:mark_uuid>/", views.mark_moderate, name="mark"),
    path("answers/<uuid:answer_uuid>/", views.answer_mark, name="answer-mark"),
]
