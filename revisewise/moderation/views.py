"""Moderation pages for tutors: the queue with the engine's agreement, one mark to moderate,
one answer the engine could not mark, for the tutor to mark, and the answers tutors marked."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from revisewise.accounts.models import User
from revisewise.accounts.selectors import user_has_centre_role
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.marking.models import MarkingStatus, Moderation, PersonMark, WrittenAnswer
from revisewise.marking.services import AnswerNotAwaitingPerson, PersonMarkStale
from revisewise.moderation.forms import (
    MarkedFilterForm,
    ModerationForm,
    PersonMarkForm,
    QueueFilterForm,
)
from revisewise.moderation.highlight import answer_segments
from revisewise.moderation.selectors import (
    MarkedAnswer,
    answer_get_for_tutor,
    answers_unmarked_for_tutor,
    cohorts_tutored_by,
    flags_for_mark,
    learner_ids_for_tutor,
    mark_get_for_tutor,
    moderation_history,
    moderation_queue_for_tutor,
    moderation_summary_for_learners,
    newest_mark_for_answer,
    person_mark_history,
    person_marks_current_for_tutor,
)
from revisewise.moderation.services import (
    LABEL_CHOICES,
    VERDICT_CHOICES,
    answer_marking_points,
    centre_shared,
    moderation_record,
    person_mark_record,
    person_mark_revise,
)

MARKED_PAGE_SIZE = 25
SAVED = gettext_lazy("Mark saved. The learner now sees your mark.")
REVISED = gettext_lazy("Mark revised. The learner now sees your revised mark.")
NOT_AWAITING = gettext_lazy(
    "This answer is no longer waiting for a person: it has been marked, or the engine is "
    "marking it again. Nothing was saved."
)


def _moderator(request: HttpRequest) -> User:
    user = request.user
    # login_required has run; anyone who tutors no one sees no such page.
    assert isinstance(user, User)
    if not user_has_centre_role(user=user):
        raise Http404("No such page.")
    return user


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """List answers to moderate, flagged first, with how far the engine agrees with tutors."""
    tutor = _moderator(request)
    form = QueueFilterForm(request.GET or None, cohorts=cohorts_tutored_by(tutor=tutor))
    cohort, flagged = None, False
    if form.is_bound and form.is_valid():
        cohort, flagged = form.cleaned_data["cohort"], form.cleaned_data["flagged"]
    context = {
        "form": form,
        "queue": moderation_queue_for_tutor(tutor=tutor, cohort=cohort, flagged_only=flagged),
        "unmarked": answers_unmarked_for_tutor(tutor=tutor, cohort=cohort),
        "summary": moderation_summary_for_learners(
            learner_ids=learner_ids_for_tutor(tutor=tutor, cohort=cohort)
        ),
    }
    template = "moderation/queue.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def marked_list(request: HttpRequest) -> HttpResponse:
    """List the answers tutors marked (the engine could not), newest mark first, to revise one."""
    tutor = _moderator(request)
    form = MarkedFilterForm(request.GET or None, cohorts=cohorts_tutored_by(tutor=tutor))
    cohort, mine = None, False
    if form.is_bound and form.is_valid():
        cohort, mine = form.cleaned_data["cohort"], form.cleaned_data["mine"]
    marks = person_marks_current_for_tutor(tutor=tutor, cohort=cohort, mine_only=mine)
    page = Paginator(marks, MARKED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "entries": [MarkedAnswer.of(m) for m in page]}
    return render(request, "moderation/marked_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mark_moderate(request: HttpRequest, mark_uuid: UUID) -> HttpResponse:
    """Show a learner's answer with the machine's evidence; record the tutor's verdicts."""
    tutor = _moderator(request)
    mark = mark_get_for_tutor(tutor=tutor, mark_uuid=str(mark_uuid))
    learner = mark.answer.learner
    history = moderation_history(mark=mark)
    data = request.POST if request.method == "POST" else None
    form = ModerationForm(data, mark=mark, current=history[0] if history else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_record(tutor=tutor, mark=mark, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Moderation saved. The learner now sees your mark."))
            return redirect("moderation:mark", mark_uuid=mark.uuid)
    if request.method == "GET":
        audit_record(
            actor=tutor,
            action=AuditAction.ANSWER_VIEWED,
            subject=learner,
            centre=centre_shared(tutor=tutor, learner=learner),
            detail={"mark": str(mark.uuid)},
        )
    context = {
        "mark": mark,
        "answer": mark.answer,
        "learner": learner,
        "segments": answer_segments(mark.answer.text, mark.result),
        "form": form,
        "history": [_history_row(m) for m in history],
        "flags": flags_for_mark(mark=mark),
        "machine_label": _name(LABEL_CHOICES, mark.label),
        "misconceptions": mark.result.get("misconceptions_shown") or [],
    }
    return render(request, "moderation/mark.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def answer_mark(request: HttpRequest, answer_uuid: UUID) -> HttpResponse:
    """Mark, per marking point, an answer the engine gave up on; once marked, revise the mark."""
    tutor = _moderator(request)
    answer = answer_get_for_tutor(tutor=tutor, answer_uuid=str(answer_uuid))
    mark = newest_mark_for_answer(answer=answer)
    if answer.status == MarkingStatus.MARKED and mark is not None:
        # The engine marked it after all (the learner asked it to try again): moderate that.
        return redirect("moderation:mark", mark_uuid=mark.uuid)
    history = person_mark_history(answer=answer)
    form = PersonMarkForm(
        request.POST if request.method == "POST" else None,
        points=answer_marking_points(answer),
        current=history[0] if history else None,
    )
    if request.method == "POST":
        outcome = _answer_mark_post(request, tutor, answer, form, history)
        if isinstance(outcome, HttpResponse):
            return outcome
        form, history = outcome, person_mark_history(answer=answer)
    else:
        _audit_viewed(tutor, answer.learner, {"answer": str(answer.uuid)})
    context = {
        "answer": answer,
        "learner": answer.learner,
        "form": form,
        "can_mark": answer.status == MarkingStatus.NEEDS_PERSON,
        "person_mark": _person_mark_view(history[0]) if history else None,
        "earlier_marks": [_person_mark_view(m) for m in history[1:]],
    }
    status = 409 if form.stale_mark else 400 if form.errors else 200
    return render(request, "moderation/answer_mark.html", context, status=status)


def _answer_mark_post(
    request: HttpRequest,
    tutor: User,
    answer: WrittenAnswer,
    form: PersonMarkForm,
    history: list[PersonMark],
) -> HttpResponse | PersonMarkForm:
    """Save a first mark or a revision; return the redirect, or the form to show again."""
    if history and "revises" not in request.POST:
        # A first mark of an answer another tutor marked meanwhile: show theirs, keep this one.
        return _stale_form(request, answer, history[0])
    if not form.is_valid():
        return form
    try:
        if history:
            person_mark_revise(tutor=tutor, answer=answer, **form.service_arguments())
        else:
            person_mark_record(tutor=tutor, answer=answer, **form.service_arguments())
    except ValidationError as error:
        form.add_error(None, error.messages)
        return form
    except AnswerNotAwaitingPerson:
        # Another tutor was first, or the learner sent the answer back to the engine.
        messages.error(request, NOT_AWAITING)
    except PersonMarkStale as stale:
        return _stale_form(request, answer, stale.current)
    else:
        saved = REVISED if history else SAVED
        messages.success(request, saved)
    return redirect("moderation:answer-mark", answer_uuid=answer.uuid)


def _stale_form(
    request: HttpRequest, answer: WrittenAnswer, newest: PersonMark | None
) -> PersonMarkForm:
    """Return the tutor's form as they filled it in, now revising `newest`, saying why."""
    data = request.POST.copy()
    if newest is not None:
        data["revises"] = str(newest.uuid)
    form = PersonMarkForm(data, points=answer_marking_points(answer), current=newest)
    form.is_valid()
    form.stale_mark = newest
    form.add_error(None, _stale_message(newest))
    return form


def _stale_message(newest: PersonMark | None) -> str:
    if newest is None:
        return str(NOT_AWAITING)
    return _(
        "Another tutor changed this mark while you were working on it: %(tutor)s marked it "
        "%(label)s on %(when)s. Nothing was saved. Your verdicts are still below: check the "
        "current mark, then revise it again if you still want to."
    ) % {
        "tutor": newest.tutor or _("a former tutor"),
        "label": _name(LABEL_CHOICES, newest.label).lower(),
        "when": date_format(localtime(newest.created_at), "j F Y, H:i"),
    }


def _audit_viewed(tutor: User, learner: User, detail: dict[str, Any]) -> None:
    centre = centre_shared(tutor=tutor, learner=learner)
    audit_record(
        actor=tutor, action=AuditAction.ANSWER_VIEWED, subject=learner, centre=centre, detail=detail
    )


def _person_mark_view(person_mark: PersonMark) -> dict[str, Any]:
    return {
        "mark": person_mark,
        "label_name": _name(LABEL_CHOICES, person_mark.label),
        "points": [
            {
                "point": row.get("point", ""),
                "verdict": _name(VERDICT_CHOICES, row.get("verdict", "")),
                "comment": row.get("comment", ""),
            }
            for row in person_mark.point_verdicts
        ],
    }


def _name(choices: list[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def _history_row(moderation: Moderation) -> dict[str, Any]:
    return {
        "moderation": moderation,
        "label_name": _name(LABEL_CHOICES, moderation.label),
        "points": [
            {
                "point": row.get("point", ""),
                "machine": _name(VERDICT_CHOICES, row.get("machine", "")),
                "tutor": _name(VERDICT_CHOICES, row.get("tutor", "")),
                "is_changed": row.get("machine") != row.get("tutor"),
                "comment": row.get("comment", ""),
            }
            for row in moderation.point_verdicts
        ],
    }
