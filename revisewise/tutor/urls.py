from __future__ import annotations

from django.urls import path

from revisewise.tutor import views

app_name = "tutor"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("conversations/<uuid:conversation_uuid>/", views.conversation, name="conversation"),
    path(
        "conversations/<uuid:conversation_uuid>/delete/",
        views.conversation_delete,
        name="conversation-delete",
    ),
    path("authoring/", views.authoring_units, name="authoring"),
    path("authoring/units/<uuid:unit_uuid>/draft-items/", views.draft_items, name="draft-items"),
    path(
        "authoring/qualifications/<uuid:qualification_uuid>/draft-unit/",
        views.draft_unit,
        name="draft-unit",
    ),
    path("authoring/unit-drafts/<uuid:draft_uuid>/", views.unit_draft, name="unit-draft"),
    path("<slug:qualification_slug>/", views.ask, name="ask-qualification"),
]
