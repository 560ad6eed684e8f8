"""The site's URLs: each app mounts its own; the JSON API lives under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("revisewise.accounts.urls")),
    path("practice/", include("revisewise.practice.urls")),
    path("tutor/", include("revisewise.tutor.urls")),
    path("progress/", include("revisewise.progress.urls")),
    path("marking/", include("revisewise.marking.urls")),
    path("centre/", include("revisewise.centres.urls")),
    path("privacy/", include("revisewise.privacy.urls")),
    path("epa/", include("revisewise.epa.urls")),
    path("discussion/", include("revisewise.discussion.urls")),
    path("moderation/", include("revisewise.moderation.urls")),
    path("", include("revisewise.core.urls")),
    path("", include("revisewise.content.urls")),
]
