"""The public content pages: browse, qualification, unit and search. All read-only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from revisewise.content import selectors
from revisewise.search.selectors import search_results_grouped

SEARCH_LIMIT = 50
SEARCH_MAX_LENGTH = 200


def home(request: HttpRequest) -> HttpResponse:
    subjects = selectors.subject_list_with_qualifications()
    return render(request, "content/home.html", {"subjects": subjects})


def subject_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.subject_get_with_qualifications(slug=slug)
    return render(request, "content/subject_detail.html", {"group": group})


def awarding_body_detail(request: HttpRequest, subject_slug: str, slug: str) -> HttpResponse:
    group = selectors.awarding_body_get_for_subject(subject_slug=subject_slug, slug=slug)
    context = {"group": group, "body_group": group.awarding_bodies[0]}
    return render(request, "content/awarding_body_detail.html", context)


def qualification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.qualification_get_page(slug=slug)
    return render(request, "content/qualification_detail.html", {"page": page})


def unit_detail(request: HttpRequest, qualification_slug: str, slug: str) -> HttpResponse:
    page = selectors.unit_get_page(qualification_slug=qualification_slug, slug=slug)
    return render(request, "content/unit_detail.html", {"page": page})


def search(request: HttpRequest) -> HttpResponse:
    """Show results for ?q=; an htmx request gets only the results partial of the same page."""
    text = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    results = search_results_grouped(text=text, limit=SEARCH_LIMIT) if text else None
    # htmx restoring history without its cache asks for the whole page.
    is_live = bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )
    template = "content/search.html#results" if is_live else "content/search.html"
    context = {"query": text, "results": results, "is_live": is_live}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
