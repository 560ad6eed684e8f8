"""Practice pages: choose what to practise, answer one item per page, see the summary.

Without JavaScript every answer is a plain POST that redirects to the same item's page, which
then shows the feedback (so a reload is safe). With htmx the form swaps in the feedback partial.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revisewise.accounts.models import User
from revisewise.centres.selectors import assignment_list_for_learner
from revisewise.content.models import Qualification, Unit
from revisewise.content.selectors import SECTION_ID_FOR_KIND, section_title
from revisewise.marking.forms import MarkFlagForm
from revisewise.marking.selectors import written_answer_feedback, written_answer_get_for_attempt
from revisewise.practice.forms import AnswerForm, SessionStartForm, answer_token_issue
from revisewise.practice.models import Attempt, Item, ItemType, PracticeSession
from revisewise.practice.selectors import (
    attempt_get_for_position,
    attempts_by_position,
    due_count_for_learner,
    next_unanswered_position,
    practice_session_get_for_learner,
    practice_session_item,
    practice_session_items,
    practice_units_list,
)
from revisewise.practice.services import attempt_submit, practice_session_start

TEMPLATE = "practice/session_item.html"


def _learner(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )


@login_required
@require_GET
def practise_home(request: HttpRequest) -> HttpResponse:
    """List the units the learner can practise and how many reviews are due now."""
    context = {
        "assignments": assignment_list_for_learner(learner=_learner(request)),
        "groups": practice_units_list(learner=_learner(request)),
        "due_count": due_count_for_learner(learner=_learner(request), now=timezone.now()),
    }
    return render(request, "practice/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_start(request: HttpRequest) -> HttpResponse:
    """Start a unit, qualification or due-now session and go to its first item.

    A GET (after signing in from a start button) lands on the practise page to choose again.
    """
    if request.method == "GET":
        return redirect("practice:home")
    form = SessionStartForm(request.POST)
    if not form.is_valid():
        return redirect("practice:home")
    data = form.cleaned_data
    unit = get_object_or_404(Unit, uuid=data["unit"]) if data["unit"] else None
    qualification = (
        get_object_or_404(Qualification, uuid=data["qualification"])
        if data["qualification"]
        else None
    )
    try:
        session = practice_session_start(
            learner=_learner(request),
            scope=data["scope"],
            unit=unit,
            qualification=qualification,
            now=timezone.now(),
        )
    except ValueError as error:
        messages.info(request, str(error))
        return redirect("practice:home")
    return redirect(_item_url(session, 0))


@login_required
@require_GET
def session_resume(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Go to the session's first unanswered item, or its summary when all are answered."""
    session = practice_session_get_for_learner(learner=_learner(request), session_uuid=session_uuid)
    position = next_unanswered_position(session=session)
    if position is None:
        return redirect("practice:session-summary", session_uuid=session.uuid)
    return redirect(_item_url(session, position))


@login_required
@require_GET
def session_item(request: HttpRequest, session_uuid: UUID, number: int) -> HttpResponse:
    """Show item `number` (1-based): its form, or its feedback once answered."""
    session = practice_session_get_for_learner(learner=_learner(request), session_uuid=session_uuid)
    item = practice_session_item(session=session, position=number - 1)
    attempt = attempt_get_for_position(session=session, position=number - 1)
    next_position = next_unanswered_position(session=session)
    # Items are answered in order: skipping ahead leads back to the next one to answer.
    if attempt is None and next_position is not None and number - 1 > next_position:
        return redirect(_item_url(session, next_position))
    context = _item_context(session, item, number, attempt, next_position)
    if attempt is None:
        context["form"] = AnswerForm(presentation=context["shown"])
        context["token"] = answer_token_issue()
        context["is_revealed"] = request.GET.get("reveal") == "1"
    partial = "#item-panel" if _is_htmx(request) else ""
    response = render(request, TEMPLATE + partial, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def answer_submit(request: HttpRequest, session_uuid: UUID, number: int) -> HttpResponse:
    """Store and grade an answer, then show feedback (htmx) or redirect to it (plain POST)."""
    session = practice_session_get_for_learner(learner=_learner(request), session_uuid=session_uuid)
    item = practice_session_item(session=session, position=number - 1)
    form = AnswerForm(request.POST, presentation=item.presentation())
    if not form.is_valid():
        next_position = next_unanswered_position(session=session)
        context = _item_context(session, item, number, None, next_position)
        token = form.cleaned_data.get("token") or answer_token_issue()
        context.update(form=form, token=token, is_revealed=True)
        return render(request, TEMPLATE + ("#item-panel" if _is_htmx(request) else ""), context)
    attempt_submit(
        learner=_learner(request),
        session=session,
        position=number - 1,
        response=form.response(),
        client_token=form.cleaned_data["token"],
        duration_ms=form.duration_ms(),
    )
    if not _is_htmx(request):
        return redirect(_item_url(session, number - 1))
    attempt = attempt_get_for_position(session=session, position=number - 1)
    next_position = next_unanswered_position(session=session)
    context = _item_context(session, item, number, attempt, next_position)
    response = render(request, TEMPLATE + "#item-panel", context)
    response["HX-Push-Url"] = _item_url(session, number - 1)
    return response


@login_required
@require_GET
def session_summary(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Show the session's score and each item's result."""
    session = practice_session_get_for_learner(learner=_learner(request), session_uuid=session_uuid)
    attempts = attempts_by_position(session=session)
    rows = [
        {"number": position + 1, "item": item, "attempt": attempts.get(position)}
        for position, item in enumerate(practice_session_items(session=session))
    ]
    graded = [attempt for attempt in attempts.values() if attempt.is_graded]
    context = {
        "session": session,
        "rows": rows,
        "answered": len(attempts),
        "correct": sum(1 for attempt in graded if attempt.is_correct),
        "graded": len(graded),
        "next_position": next_unanswered_position(session=session),
    }
    return render(request, "practice/session_summary.html", context)


def _item_url(session: PracticeSession, position: int) -> str:
    return reverse(
        "practice:session-item", kwargs={"session_uuid": session.uuid, "number": position + 1}
    )


def _item_context(
    session: PracticeSession,
    item: Item,
    number: int,
    attempt: Attempt | None,
    next_position: int | None,
) -> dict[str, Any]:
    if next_position is None:
        next_url = reverse("practice:session-summary", kwargs={"session_uuid": session.uuid})
    else:
        next_url = _item_url(session, next_position)
    context: dict[str, Any] = {
        "session": session,
        "item": item,
        "shown": item.presentation(),
        "number": number,
        "total": session.item_count,
        "answered": session.attempts.count(),
        "attempt": attempt,
        "next_url": next_url,
        "is_last": next_position is None,
        "submit_url": reverse(
            "practice:answer-submit", kwargs={"session_uuid": session.uuid, "number": number}
        ),
    }
    if attempt is not None and item.item_type == ItemType.WRITTEN:
        # Written answers show the marking panel (pending, then the engine's feedback).
        answer = written_answer_get_for_attempt(learner=session.learner, attempt_id=attempt.pk)
        if answer is not None:
            context.update(
                answer=answer,
                feedback=written_answer_feedback(answer=answer),
                is_owner=True,
                flag_form=MarkFlagForm(),
            )
    if attempt is not None:
        context["grade"] = item.grade(attempt.response)
        context["source"] = _source(item)
        context["your_answer"] = _response_lines(context["shown"], attempt.response)
        context["expected"] = _expected_lines(item)
        context["percent"] = round((attempt.score or 0) * 100)
    return context


def _source(item: Item) -> dict[str, str]:
    """Return the unit, section heading, sentence and page link an item came from."""
    section_id = SECTION_ID_FOR_KIND.get(item.source_item.kind, "") if item.source_item else ""
    url = item.unit.get_absolute_url()
    return {
        "unit": item.unit.title,
        "section": section_title(section_id) if section_id else item.source_section,
        "sentence": item.source_sentence,
        "url": f"{url}#{section_id}" if section_id else url,
    }


def _response_lines(shown: dict[str, Any], response: Any) -> list[str]:
    """Return the learner's answer in words, one line per choice, as they gave it."""
    kind = shown["item_type"]
    texts = {
        entry["id"]: entry["text"]
        for key in ("options", "steps", "rights", "lefts")
        for entry in shown.get(key, [])
    }
    if kind == "true_false":
        return [_("True") if response is True else _("False")]
    if kind == "flashcard":
        return [_("You rated it: %(rating)s") % {"rating": str(response).capitalize()}]
    if isinstance(response, list):
        return [texts.get(key, "?") for key in response]
    if isinstance(response, dict):
        return [
            f"{texts.get(left, '?')}: {texts.get(right, '?')}" for left, right in response.items()
        ]
    return [str(texts.get(response, response))]


def _expected_lines(item: Item) -> list[str]:
    """Return the right answer, one line per option, step or pair."""
    payload = item.payload
    if item.item_type == "mcq_multi":
        answers = set(payload["answers"])
        return [entry["text"] for entry in payload["options"] if entry["id"] in answers]
    if item.item_type == "ordering":
        return [entry["text"] for entry in payload["steps"]]
    if item.item_type == "matching":
        return [f"{pair['left']}: {pair['right']}" for pair in payload["pairs"]]
    return [item.grade(None).expected]
