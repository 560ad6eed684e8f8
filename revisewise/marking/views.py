"""Written-answer pages: answer a written question, see its mark and feedback, flag, retry.

The feedback panel is one partial (`answer_detail.html#answer-panel`), also shown under a
written item of a practice session; while an answer waits for the engine, htmx polls it.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revisewise.accounts.models import User
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.marking.forms import MarkFlagForm, WrittenAnswerForm
from revisewise.marking.models import MarkingStatus, WrittenAnswer
from revisewise.marking.selectors import (
    LABELS,
    written_answer_feedback,
    written_answer_get_for_learner,
    written_answer_get_for_viewer,
    written_answers_list_for_learner,
    written_item_get_for_learner,
    written_items_list_for_learner,
)
from revisewise.marking.services import (
    mark_flag_create,
    written_answer_retry,
    written_answer_submit,
)
from revisewise.practice.forms import answer_token_issue

logger = logging.getLogger(__name__)
SWEEP_CACHE_KEY = "marking:sweep-started"
DETAIL = "marking/answer_detail.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


def sweep_if_due() -> None:
    """Start the marking sweep from a request, at most once per MARKING_SWEEP_INTERVAL_SECONDS.

    `cache.add` succeeds for one caller per interval (per cache: per process with the default
    local-memory cache, site-wide with a shared one); the sweep is idempotent either way.
    """
    interval = settings.MARKING_SWEEP_INTERVAL_SECONDS
    if interval <= 0 or not cache.add(SWEEP_CACHE_KEY, True, timeout=interval):
        return
    from revisewise.marking.tasks import written_answers_sweep_task

    try:
        written_answers_sweep_task.enqueue()
    except Exception:
        # A failed sweep must never break the page; the next interval tries again.
        logger.exception("Could not start the marking sweep")


def _panel_context(request: HttpRequest, answer: WrittenAnswer) -> dict[str, Any]:
    viewer = _user(request)
    return {
        "feedback": written_answer_feedback(answer=answer),
        "is_owner": answer.learner_id == viewer.pk,
        "flag_form": MarkFlagForm(),
    }


@login_required
@require_GET
def answer_list(request: HttpRequest) -> HttpResponse:
    """List the learner's written answers (status, mark, date) and the questions to answer."""
    sweep_if_due()
    learner = _user(request)
    answers = list(written_answers_list_for_learner(learner=learner))
    rows = []
    for answer in answers:
        marks = sorted(answer.marks.all(), key=lambda m: (m.created_at, m.pk), reverse=True)
        moderations = sorted(
            (mod for mark in marks[:1] for mod in mark.moderations.all()),
            key=lambda m: (m.created_at, m.pk),
            reverse=True,
        )
        shown: Any = moderations[0] if moderations else (marks[0] if marks else None)
        if answer.status == MarkingStatus.MARKED_BY_PERSON:
            # The tutor's mark, as on the answer page; the status column says who marked it.
            person_marks = answer.person_marks.all()
            shown = max(person_marks, key=lambda p: (p.created_at, p.pk), default=None)
        rows.append(
            {
                "answer": answer,
                "label": LABELS.get(shown.label, shown.label) if shown else "",
                "percent": round(shown.score * 100) if shown else None,
                "is_moderated": bool(moderations) and shown is moderations[0],
            }
        )
    context = {"rows": rows, "questions": written_items_list_for_learner(learner=learner)}
    return render(request, "marking/answer_list.html", context)


@login_required
@require_GET
def answer_detail(request: HttpRequest, answer_uuid: UUID) -> HttpResponse:
    """Show one answer with its feedback panel; a tutor of the learner sees it read-only."""
    sweep_if_due()
    viewer = _user(request)
    answer = written_answer_get_for_viewer(viewer=viewer, answer_uuid=answer_uuid)
    if answer.learner_id != viewer.pk:
        audit_record(
            actor=viewer,
            action=AuditAction.ANSWER_VIEWED,
            subject=answer.learner,
            detail={"answer": str(answer.uuid)},
        )
    context = {"answer": answer, **_panel_context(request, answer)}
    return render(request, DETAIL, context)


@login_required
@require_GET
def answer_panel(request: HttpRequest, answer_uuid: UUID) -> HttpResponse:
    """Return the feedback panel alone: what htmx polls while the answer is being marked."""
    sweep_if_due()
    answer = written_answer_get_for_viewer(viewer=_user(request), answer_uuid=answer_uuid)
    context = {"answer": answer, **_panel_context(request, answer)}
    response = render(request, DETAIL + "#answer-panel", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def answer_flag(request: HttpRequest, answer_uuid: UUID) -> HttpResponse:
    """Record the learner's disagreement with the mark of their own answer."""
    learner = _user(request)
    answer = written_answer_get_for_learner(learner=learner, answer_uuid=answer_uuid)
    feedback = written_answer_feedback(answer=answer)
    form = MarkFlagForm(request.POST)
    if feedback.mark is None:
        messages.error(request, _("Only a marked answer can be flagged."))
        return redirect("marking:answer-detail", answer_uuid=answer.uuid)
    if not form.is_valid():
        context = {"answer": answer, "feedback": feedback, "is_owner": True, "flag_form": form}
        return render(request, DETAIL, context)
    mark_flag_create(mark=feedback.mark, learner=learner, reason=form.cleaned_data["reason"])
    messages.success(
        request, _("Thank you: your tutor will look at this mark and you will see their verdict.")
    )
    return redirect("marking:answer-detail", answer_uuid=answer.uuid)


@login_required
@require_POST
def answer_retry(request: HttpRequest, answer_uuid: UUID) -> HttpResponse:
    """Send an answer that could not be marked back to the engine."""
    learner = _user(request)
    answer = written_answer_get_for_learner(learner=learner, answer_uuid=answer_uuid)
    try:
        written_answer_retry(answer=answer, learner=learner)
    except (PermissionError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your answer is being marked again."))
    return redirect("marking:answer-detail", answer_uuid=answer.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, item_uuid: UUID) -> HttpResponse:
    """Answer one written question; the answer is stored first, then marked."""
    learner = _user(request)
    item = written_item_get_for_learner(learner=learner, item_uuid=item_uuid)
    form = WrittenAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = written_answer_submit(
                learner=learner,
                item=item,
                text=form.cleaned_data["response"],
                client_token=form.cleaned_data["token"],
                duration_ms=form.duration_ms(),
            )
        except ValueError as error:
            # A token sent with another question's form: ask again with a fresh form.
            form.add_error("token", str(error))
        else:
            return redirect("marking:answer-detail", answer_uuid=answer.uuid)
    token = (form.cleaned_data.get("token") if form.is_valid() else None) or answer_token_issue()
    context = {"item": item, "form": form, "token": token, "text": form.data.get("response", "")}
    return render(request, "marking/question_answer.html", context)
