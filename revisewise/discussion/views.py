"""Discussion practice pages: choose a unit, answer prompt by prompt, feedback, summary.

Answering is the learner's alone; the feedback and summary pages may also be read by the
learner's tutor. Everything else gets a 404 from the selectors.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revisewise.accounts.models import User
from revisewise.accounts.selectors import learner_get_for_tutor
from revisewise.discussion.feedback import answer_feedback as build_feedback
from revisewise.discussion.forms import AnswerForm, SessionStartForm
from revisewise.discussion.models import DiscussionAnswer, DiscussionSession
from revisewise.discussion.selectors import (
    discussion_answer_get_for_viewer,
    discussion_prompts_answered,
    discussion_session_get_for_learner,
    discussion_session_get_for_viewer,
    discussion_sessions_list_for_learner,
    discussion_units_list,
    unit_get_for_discussion,
)
from revisewise.discussion.services import (
    DiscussionError,
    discussion_answer_mark,
    discussion_answer_submit,
    discussion_session_finish,
    discussion_session_start,
)
from revisewise.epa.selectors import qualifications_with_mock_tests

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


def _elapsed_minutes(session: DiscussionSession, now: datetime) -> int:
    end = session.finished_at or now
    return max(0, int((end - session.started_at).total_seconds() // 60))


def _home_context(request: HttpRequest, form: SessionStartForm) -> dict[str, Any]:
    return {
        "groups": discussion_units_list(),
        "form": form,
        "sessions": discussion_sessions_list_for_learner(learner=_user(request)),
        "mock_qualifications": qualifications_with_mock_tests(),
    }


@login_required
@require_GET
def discussion_home(request: HttpRequest) -> HttpResponse:
    """List the units to discuss, the start form and the learner's recent sessions."""
    return render(request, "discussion/home.html", _home_context(request, SessionStartForm()))


@login_required
@require_POST
def session_start(request: HttpRequest) -> HttpResponse:
    """Start a discussion on the chosen unit and go to its first question."""
    form = SessionStartForm(request.POST)
    if form.is_valid():
        unit = unit_get_for_discussion(unit_uuid=str(form.cleaned_data["unit"]))
        try:
            session = discussion_session_start(
                learner=_user(request),
                unit=unit,
                prompt_count=form.cleaned_data["prompt_count"],
                now=timezone.now(),
            )
        except DiscussionError as error:
            form.add_error("unit", str(error))
        else:
            return redirect("discussion:prompt-answer", session_uuid=session.uuid, position=1)
    context = _home_context(request, form)
    return render(request, "discussion/home.html", context)


@login_required
@require_GET
def session_resume(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Go to the first question without an answer, or the summary when all are answered."""
    session = discussion_session_get_for_learner(
        learner=_user(request), session_uuid=str(session_uuid)
    )
    prompts = discussion_prompts_answered(session=session)
    position = next((p.position for p in prompts if p.answer is None), None)
    if position is None or session.finished_at is not None:
        return redirect("discussion:session-summary", session_uuid=session.uuid)
    return redirect("discussion:prompt-answer", session_uuid=session.uuid, position=position)


def _mark_or_message(request: HttpRequest, answer: DiscussionAnswer) -> None:
    try:
        discussion_answer_mark(answer=answer)
    except Exception:
        # The answer is already stored: say so and let the learner try the marking again.
        logger.exception("Marking discussion answer %s failed", answer.pk)
        messages.error(
            request,
            _("Your answer is saved, but it could not be marked just now. Try marking it again."),
        )


@login_required
@require_http_methods(["GET", "POST"])
def prompt_answer(request: HttpRequest, session_uuid: UUID, position: int) -> HttpResponse:
    """Show one question with the time so far; store the answer, mark it, show feedback."""
    learner, now = _user(request), timezone.now()
    session = discussion_session_get_for_learner(learner=learner, session_uuid=str(session_uuid))
    if not 1 <= position <= session.prompt_count:
        raise Http404("No such question.")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = discussion_answer_submit(
                session=session, position=position, text=form.cleaned_data["answer"]
            )
        except DiscussionError as error:
            form.add_error("answer", str(error))
        else:
            _mark_or_message(request, answer)
            return redirect(
                "discussion:answer-feedback", session_uuid=session.uuid, answer_uuid=answer.uuid
            )
    context = {
        "session": session,
        "position": position,
        "prompt": session.prompts[position - 1],
        "form": form,
        "elapsed_minutes": _elapsed_minutes(session, now),
        "answered": discussion_prompts_answered(session=session),
    }
    return render(request, "discussion/prompt.html", context)


@login_required
@require_GET
def answer_feedback(request: HttpRequest, session_uuid: UUID, answer_uuid: UUID) -> HttpResponse:
    """Show the marked answer: criteria, evidence, structure and the way to distinction."""
    user = _user(request)
    session = discussion_session_get_for_viewer(user=user, session_uuid=str(session_uuid))
    answer, mark = discussion_answer_get_for_viewer(
        user=user, session=session, answer_uuid=str(answer_uuid)
    )
    prompt = session.prompts[answer.position - 1]
    feedback = (
        build_feedback(answer_text=answer.text, prompt=prompt, result=mark.result) if mark else None
    )
    context = {
        "session": session,
        "answer": answer,
        "prompt": prompt,
        "mark": mark,
        "feedback": feedback,
        "is_learner": session.learner_id == user.pk,
        "next_position": answer.position + 1 if answer.position < session.prompt_count else None,
        "elapsed_minutes": _elapsed_minutes(session, timezone.now()),
    }
    return render(request, "discussion/feedback.html", context)


@login_required
@require_POST
def answer_mark(request: HttpRequest, session_uuid: UUID, answer_uuid: UUID) -> HttpResponse:
    """Mark a stored answer again (after a failure); adds a new mark, never changes one."""
    learner = _user(request)
    session = discussion_session_get_for_learner(learner=learner, session_uuid=str(session_uuid))
    answer, _mark = discussion_answer_get_for_viewer(
        user=learner, session=session, answer_uuid=str(answer_uuid)
    )
    _mark_or_message(request, answer)
    return redirect(
        "discussion:answer-feedback", session_uuid=session.uuid, answer_uuid=answer.uuid
    )


@login_required
@require_POST
def session_finish(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Finish the discussion and show its summary."""
    session = discussion_session_get_for_learner(
        learner=_user(request), session_uuid=str(session_uuid)
    )
    discussion_session_finish(session=session, now=timezone.now())
    return redirect("discussion:session-summary", session_uuid=session.uuid)


@login_required
@require_GET
def session_summary(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Show every question with its newest answer's band and structure, and the time taken."""
    user = _user(request)
    session = discussion_session_get_for_viewer(user=user, session_uuid=str(session_uuid))
    rows = []
    for entry in discussion_prompts_answered(session=session):
        feedback = None
        if entry.answer is not None and entry.mark is not None:
            feedback = build_feedback(
                answer_text=entry.answer.text, prompt=entry.prompt, result=entry.mark.result
            )
        rows.append({"entry": entry, "feedback": feedback})
    context = {
        "session": session,
        "rows": rows,
        "is_learner": session.learner_id == user.pk,
        "elapsed_minutes": _elapsed_minutes(session, timezone.now()),
    }
    return render(request, "discussion/summary.html", context)


@login_required
@require_GET
def learner_sessions(request: HttpRequest, learner_uuid: UUID) -> HttpResponse:
    """List one learner's discussions for their tutor (read-only); 404 for anyone else."""
    learner = learner_get_for_tutor(tutor=_user(request), learner_uuid=str(learner_uuid))
    context = {
        "learner": learner,
        "sessions": discussion_sessions_list_for_learner(learner=learner, limit=50),
    }
    return render(request, "discussion/learner_sessions.html", context)
