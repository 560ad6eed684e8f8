from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from revisewise.epa import views

app_name = "epa"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:qualification_slug>/mock/", views.mock_home, name="mock-home"),
    path("<slug:qualification_slug>/mock/start/", views.mock_start_view, name="mock-start"),
    path("mocks/<uuid:mock_uuid>/", views.mock_take, name="mock-take"),
    path("mocks/<uuid:mock_uuid>/save/", views.mock_save, name="mock-save"),
    path(
        "mocks/<uuid:mock_uuid>/questions/<int:number>/answer/",
        views.mock_answer,
        name="mock-answer",
    ),
    path("mocks/<uuid:mock_uuid>/result/", views.mock_result, name="mock-result"),
]
