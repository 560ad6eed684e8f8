"""The site's URLs with the tutor mounted, until config/urls.py includes it."""

from __future__ import annotations

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *[p for p in site_urlpatterns if getattr(p, "namespace", None) != "tutor"],
    path("tutor/", include("revisewise.tutor.urls")),
]
