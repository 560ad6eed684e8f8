"""Mock knowledge test pages: start, sit (one form, answers saved as given), result.

Without JavaScript the test is one form: "Save answers" stores them and "Submit" finishes.
With htmx each question posts its answer as soon as it is chosen; the countdown (a static
script) submits the form at zero. The server's deadline decides in every case.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.epa.forms import answer_from_post
from revisewise.epa.selectors import (
    mock_breakdown,
    mock_get_for_learner,
    mock_get_for_viewer,
    mock_items,
    mock_list_for_learner,
    mock_questions,
    mock_review,
    plan_get_for_qualification,
)
from revisewise.epa.services import (
    LateAnswerError,
    MockError,
    mock_answer_submit,
    mock_finalise_if_overdue,
    mock_remaining_seconds,
    mock_start,
    mock_submit,
    mocks_finalise_overdue,
)

WEAKEST_SHOWN = 3


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def mock_home(request: HttpRequest, qualification_slug: str) -> HttpResponse:
    """Show the knowledge test the plan describes, the learner's past mocks and a start button."""
    qualification = get_object_or_404(Qualification, slug=qualification_slug)
    mocks_finalise_overdue(learner=_user(request))
    plan = plan_get_for_qualification(qualification=qualification)
    context = {
        "qualification": qualification,
        "plan": plan,
        "method": plan.knowledge_test if plan else None,
        "mocks": mock_list_for_learner(learner=_user(request), qualification=qualification),
    }
    return render(request, "epa/mock_home.html", context)


@login_required
@require_POST
def mock_start_view(request: HttpRequest, qualification_slug: str) -> HttpResponse:
    qualification = get_object_or_404(Qualification, slug=qualification_slug)
    try:
        mock = mock_start(learner=_user(request), qualification=qualification, now=timezone.now())
    except MockError as error:
        messages.error(request, str(error))
        return redirect("epa:mock-home", qualification_slug=qualification.slug)
    return redirect("epa:mock-take", mock_uuid=mock.uuid)


@login_required
@require_GET
def mock_take(request: HttpRequest, mock_uuid: UUID) -> HttpResponse:
    """Show every question with the answers saved so far and the time left on the server."""
    now = timezone.now()
    mock = mock_finalise_if_overdue(
        mock=mock_get_for_learner(learner=_user(request), mock_uuid=mock_uuid), now=now
    )
    if mock.is_finished:
        return redirect("epa:mock-result", mock_uuid=mock.uuid)
    context = {
        "mock": mock,
        "questions": mock_questions(mock=mock),
        "remaining": (remaining := mock_remaining_seconds(mock=mock, now=now)),
        "remaining_text": f"{remaining // 60}:{remaining % 60:02d}",
    }
    response = render(request, "epa/mock_take.html", context)
    # The page carries the time left: a cached copy would show a stale clock.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def mock_answer(request: HttpRequest, mock_uuid: UUID, number: int) -> HttpResponse:
    """Save one answer (htmx); the partial says whether it was saved, and why not."""
    mock = mock_get_for_learner(learner=_user(request), mock_uuid=mock_uuid)
    items = mock_items(mock=mock)
    if not 1 <= number <= len(items):
        return _status(request, number, _("There is no such question in this mock."), 404)
    response = answer_from_post(data=request.POST, item=items[number - 1], position=number - 1)
    if response is None:
        return _status(request, number, _("Choose or type an answer first."), 400)
    try:
        mock_answer_submit(
            learner=_user(request),
            mock=mock,
            position=number - 1,
            response=response,
            now=timezone.now(),
        )
    except MockError as error:
        return _status(request, number, str(error), 409, is_closed=True)
    return _status(request, number, _("Saved"), 200)


def _status(
    request: HttpRequest, number: int, message: str, status: int, *, is_closed: bool = False
) -> HttpResponse:
    context = {"number": number, "message": message, "is_error": status != 200}
    response = render(request, "epa/mock_take.html#answer-status", context, status=status)
    if is_closed:
        # The mock is over: htmx follows this to the result page.
        response["HX-Trigger"] = "mock-closed"
    return response


@login_required
@require_POST
def mock_save(request: HttpRequest, mock_uuid: UUID) -> HttpResponse:
    """Save every answer in the form (no JavaScript, or the timer's final submit)."""
    learner, now = _user(request), timezone.now()
    mock = mock_get_for_learner(learner=learner, mock_uuid=mock_uuid)
    try:
        for position, item in enumerate(mock_items(mock=mock)):
            response = answer_from_post(data=request.POST, item=item, position=position)
            if response is not None:
                mock_answer_submit(
                    learner=learner, mock=mock, position=position, response=response, now=now
                )
    except LateAnswerError as error:
        messages.error(request, str(error))
        return redirect("epa:mock-result", mock_uuid=mock.uuid)
    except MockError as error:
        messages.error(request, str(error))
        return redirect("epa:mock-result", mock_uuid=mock.uuid)
    if request.POST.get("action") == "submit":
        mock_submit(learner=learner, mock=mock, now=now)
        return redirect("epa:mock-result", mock_uuid=mock.uuid)
    messages.success(request, _("Your answers are saved."))
    return redirect("epa:mock-take", mock_uuid=mock.uuid)


@login_required
@require_GET
def mock_result(request: HttpRequest, mock_uuid: UUID) -> HttpResponse:
    """Show the mark, grade, breakdowns and every question; the learner's tutor may look too."""
    viewer = _user(request)
    mock = mock_get_for_viewer(viewer=viewer, mock_uuid=mock_uuid)
    mock = mock_finalise_if_overdue(mock=mock, now=timezone.now())
    is_learner = mock.learner_id == viewer.pk
    if not mock.is_finished and is_learner:
        return redirect("epa:mock-take", mock_uuid=mock.uuid)
    review = mock_review(mock=mock)
    by_unit, by_objective = mock_breakdown(review=review)
    context = {
        "mock": mock,
        "is_learner": is_learner,
        "review": review,
        "by_unit": by_unit,
        "by_objective": by_objective,
        "weakest": [row for row in by_objective if row.percent < 100][:WEAKEST_SHOWN],
    }
    return render(request, "epa/mock_result.html", context)
