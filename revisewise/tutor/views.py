"""The tutor page: ask a question, get an answer quoted from the content with its sources."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from revisewise.tutor import selectors, services
from revisewise.tutor.forms import AskForm


@login_required
def ask(request: HttpRequest, qualification_slug: str | None = None) -> HttpResponse:
    """Show the question box; on POST answer it (an htmx POST gets only the answer partial)."""
    qualification = (
        selectors.qualification_get_by_slug(slug=qualification_slug) if qualification_slug else None
    )
    form = AskForm(request.POST if request.method == "POST" else None)
    answer = None
    if form.is_valid():
        answer = services.tutor_answer(
            question=form.cleaned_data["question"], qualification=qualification
        )
    template = "tutor/ask.html"
    if request.headers.get("HX-Request") and request.method == "POST":
        template += "#answer"
    context = {"form": form, "answer": answer, "qualification": qualification}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
