"""The tutor pages: ask a question, read the cited answer, keep and delete conversations."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.core.llm.client import llm_is_configured
from revisewise.tutor import authoring, selectors, services
from revisewise.tutor.forms import AskForm, DraftItemsForm, UnitSpecForm
from revisewise.tutor.models import Conversation, UnitDraftStatus

TEMPLATE = "tutor/ask.html"


def _learner(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


@login_required
def ask(request: HttpRequest, qualification_slug: str | None = None) -> HttpResponse:
    """Start a conversation: the question box, and past conversations to go back to."""
    qualification = (
        selectors.qualification_get_by_slug(slug=qualification_slug) if qualification_slug else None
    )
    return _ask_and_render(request, conversation=None, qualification=qualification)


@login_required
def conversation(request: HttpRequest, conversation_uuid: UUID) -> HttpResponse:
    """Show one of the learner's conversations and take a follow-up question."""
    found = selectors.conversation_get_for_learner(
        learner=_learner(request), conversation_uuid=conversation_uuid
    )
    return _ask_and_render(request, conversation=found, qualification=found.qualification)


@require_POST
@login_required
def conversation_delete(request: HttpRequest, conversation_uuid: UUID) -> HttpResponse:
    found = selectors.conversation_get_for_learner(
        learner=_learner(request), conversation_uuid=conversation_uuid
    )
    services.conversation_delete(conversation=found)
    return redirect("tutor:ask")


def _ask_and_render(
    request: HttpRequest,
    *,
    conversation: Conversation | None,
    qualification: Qualification | None,
) -> HttpResponse:
    """On POST store and answer the question (a new conversation if none), then show the page.

    A rate-limited question stays in the box with the reason; an htmx POST gets the partial.
    """
    form = AskForm(request.POST if request.method == "POST" else None)
    is_htmx = bool(request.headers.get("HX-Request"))
    if form.is_valid():
        try:
            answer = services.tutor_ask(
                learner=_learner(request),
                question=form.cleaned_data["question"],
                conversation=conversation,
                qualification=qualification,
            )
        except services.TutorRateLimited as limited:
            form.add_error("question", str(limited))
        else:
            if not is_htmx:
                return redirect(answer.conversation)
            conversation, form = answer.conversation, AskForm()
    is_partial = is_htmx and request.method == "POST"
    context = {
        "is_partial": is_partial,
        "form": form,
        "conversation": conversation,
        "qualification": qualification,
        "turns": selectors.message_list_for_conversation(conversation=conversation)
        if conversation
        else [],
        "past": selectors.conversation_list_for_learner(learner=_learner(request)),
    }
    response = render(request, TEMPLATE + ("#conversation" if is_partial else ""), context)
    if is_partial and conversation:
        response["HX-Push-Url"] = conversation.get_absolute_url()
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def draft_items(request: HttpRequest, unit_uuid: UUID) -> HttpResponse:
    """Let a content author ask the AI model for draft questions on a unit (drafts only)."""
    unit = selectors.unit_get_for_author(author=_learner(request), unit_uuid=unit_uuid)
    form = DraftItemsForm(request.POST if request.method == "POST" else None)
    result = None
    if form.is_valid():
        result = authoring.items_draft_with_llm(
            author=_learner(request), unit=unit, count=form.cleaned_data["count"]
        )
    context = {
        "unit": unit,
        "form": form,
        "result": result,
        "is_configured": llm_is_configured(),
    }
    return render(request, "tutor/draft_items.html", context)


@login_required
def authoring_units(request: HttpRequest) -> HttpResponse:
    """List the units a content author may draft questions for."""
    units = selectors.unit_list_for_author(author=_learner(request))
    drafts = selectors.unit_draft_list_for_author(author=_learner(request))
    return render(request, "tutor/authoring_units.html", {"units": units, "drafts": drafts})


@login_required
def draft_unit(request: HttpRequest, qualification_uuid: UUID) -> HttpResponse:
    """Let a content author ask the AI model to draft a new unit from a specification."""
    author = _learner(request)
    qualification = selectors.qualification_get_for_author(
        author=author, qualification_uuid=qualification_uuid
    )
    form = UnitSpecForm(request.POST if request.method == "POST" else None)
    notice = ""
    if form.is_valid():
        draft, notice = authoring.unit_draft_with_llm(
            author=author,
            qualification=qualification,
            title=form.cleaned_data["title"],
            objectives=UnitSpecForm.lines(form.cleaned_data["objectives"]),
            criteria=UnitSpecForm.lines(form.cleaned_data["criteria"]),
        )
        if draft is not None:
            return redirect("tutor:unit-draft", draft_uuid=draft.uuid)
    context = {
        "qualification": qualification,
        "form": form,
        "notice": notice,
        "is_configured": llm_is_configured(),
    }
    return render(request, "tutor/draft_unit.html", context)


@login_required
def unit_draft(request: HttpRequest, draft_uuid: UUID) -> HttpResponse:
    """Show a unit draft with its lint findings; approve (creating the unit) or discard it."""
    author = _learner(request)
    draft = selectors.unit_draft_get_for_author(author=author, draft_uuid=draft_uuid)
    if request.method == "POST" and draft.status == UnitDraftStatus.DRAFT:
        if request.POST.get("action") == "approve" and not draft.has_errors:
            unit = authoring.unit_draft_approve(draft=draft, author=author)
            return redirect(unit)
        if request.POST.get("action") == "discard":
            authoring.unit_draft_discard(draft=draft)
            return redirect("tutor:unit-draft", draft_uuid=draft.uuid)
    return render(request, "tutor/unit_draft.html", {"draft": draft})
