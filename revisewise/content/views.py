"""Placeholder views: replaced by the unit pages work (browse, unit page, search)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from revisewise.content.models import Qualification, Subject, Unit


def home(request: HttpRequest) -> HttpResponse:
    subjects = Subject.objects.prefetch_related("qualifications")
    return render(request, "content/home.html", {"subjects": subjects})


def qualification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = get_object_or_404(Qualification, slug=slug)
    return render(request, "content/home.html", {"qualification": qualification})


def unit_detail(request: HttpRequest, qualification_slug: str, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, qualification__slug=qualification_slug, slug=slug)
    return render(request, "content/home.html", {"unit": unit})
