"""The site's URLs plus practice, until config/urls.py mounts practice itself."""

from __future__ import annotations

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "practice" for pattern in site_urlpatterns)

urlpatterns = [
    *site_urlpatterns,
    *([] if _mounted else [path("practice/", include("revisewise.practice.urls"))]),
]
