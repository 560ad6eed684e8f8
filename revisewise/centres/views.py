"""Tutor pages: cohorts, the cohort dashboard, one learner, assignments; a learner starts one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from revisewise.accounts.models import Cohort, User
from revisewise.accounts.selectors import (
    cohort_get_for_tutor,
    learner_get_for_tutor,
    user_has_centre_role,
)
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.centres.forms import DEFAULT_INACTIVE_DAYS, AssignmentForm, DashboardFilterForm
from revisewise.centres.selectors import (
    assignment_get_for_learner,
    assignment_get_for_tutor,
    assignment_list_for_cohort,
    cohort_heatmap,
    cohort_learners,
    cohort_list_for_tutor,
    cohort_units,
    heatmap_view,
    learner_progress_for_tutor,
)
from revisewise.centres.services import (
    assignment_create,
    assignment_retire,
    assignment_session_start,
)
from revisewise.moderation.selectors import moderation_summary_for_learners
from revisewise.progress.readiness import Readiness
from revisewise.progress.selectors import readiness_for_learners


def _user(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    """List the cohorts a tutor tutors, or a centre administrator's centre's cohorts."""
    user = _user(request)
    if not user_has_centre_role(user=user):
        raise Http404("No cohorts.")
    return render(
        request, "centres/cohort_list.html", {"cohorts": cohort_list_for_tutor(user=user)}
    )


@login_required
@require_GET
def cohort_dashboard(request: HttpRequest, cohort_uuid: UUID) -> HttpResponse:
    """Show the mastery heatmap, the flags and the assignments of one cohort."""
    cohort = cohort_get_for_tutor(user=_user(request), cohort_uuid=str(cohort_uuid))
    form = AssignmentForm(cohort=cohort, today=timezone.localdate())
    return _dashboard(request, cohort, form)


@login_required
@require_POST
def assignment_add(request: HttpRequest, cohort_uuid: UUID) -> HttpResponse:
    """Set an assignment for the cohort, or show the dashboard again with the form's errors."""
    tutor, today = _user(request), timezone.localdate()
    cohort = cohort_get_for_tutor(user=tutor, cohort_uuid=str(cohort_uuid))
    form = AssignmentForm(request.POST, cohort=cohort, today=today)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment_create(
                tutor=tutor,
                cohort=cohort,
                title=data["title"],
                due_date=data["due_date"],
                today=today,
                unit=data["unit"],
                items=list(data["items"]),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The assignment is set."))
            return redirect(
                reverse("centres:cohort-dashboard", args=[cohort.uuid]) + "#assignments"
            )
    # 200 like the site's other forms: the page shows the errors beside the fields.
    return _dashboard(request, cohort, form)


@login_required
@require_POST
def assignment_retire_view(request: HttpRequest, assignment_uuid: UUID) -> HttpResponse:
    """Withdraw an assignment from the cohort's learners."""
    tutor = _user(request)
    assignment = assignment_get_for_tutor(user=tutor, assignment_uuid=str(assignment_uuid))
    assignment_retire(tutor=tutor, assignment=assignment, now=timezone.now())
    messages.success(request, _("The assignment is withdrawn."))
    return redirect(
        reverse("centres:cohort-dashboard", args=[assignment.cohort.uuid]) + "#assignments"
    )


@login_required
@require_POST
def assignment_start(request: HttpRequest, assignment_uuid: UUID) -> HttpResponse:
    """Start a practice session on one of the learner's assignments."""
    learner = _user(request)
    assignment = assignment_get_for_learner(learner=learner, assignment_uuid=str(assignment_uuid))
    try:
        session = assignment_session_start(
            learner=learner, assignment=assignment, now=timezone.now()
        )
    except ValueError as error:
        messages.info(request, str(error))
        return redirect("practice:home")
    return redirect("practice:session-item", session_uuid=session.uuid, number=1)


@login_required
@require_GET
def learner_detail(request: HttpRequest, learner_uuid: UUID) -> HttpResponse:
    """Show a learner's mastery, plan and recent answers to their tutor."""
    tutor = _user(request)
    learner = learner_get_for_tutor(tutor=tutor, learner_uuid=str(learner_uuid))
    overview = learner_progress_for_tutor(tutor=tutor, learner=learner, now=timezone.now())
    audit_record(
        actor=tutor,
        action=AuditAction.LEARNER_VIEWED,
        subject=learner,
        centre=overview.centre,
        detail={"cohorts": [str(cohort.uuid) for cohort in overview.cohorts]},
    )
    return render(request, "centres/learner_detail.html", {"overview": overview})


def _dashboard(request: HttpRequest, cohort: Cohort, form: AssignmentForm) -> HttpResponse:
    tutor, now = _user(request), timezone.now()
    # Defaults fill the form, so it shows what the page shows.
    data = {"sort": "name", "show": "all", "days": DEFAULT_INACTIVE_DAYS, **request.GET.dict()}
    filters = DashboardFilterForm(data, units=cohort_units(cohort=cohort), auto_id="filter-%s")
    days = filters.value("days", DEFAULT_INACTIVE_DAYS)
    heatmap = cohort_heatmap(cohort=cohort, now=now, inactive_days=days)
    context: dict[str, Any] = {
        "cohort": cohort,
        "filters": filters,
        "view": heatmap_view(
            heatmap,
            sort=filters.value("sort", "name"),
            show=filters.value("show", "all"),
            unit_uuid=filters.value("unit", ""),
        ),
        "heatmap": heatmap,
        "assignments": assignment_list_for_cohort(cohort=cohort),
        "form": form,
        "moderation": moderation_summary_for_learners(
            learner_ids=[row.learner.pk for row in heatmap.rows]
        ),
    }
    audit_record(
        actor=tutor,
        action=AuditAction.COHORT_VIEWED,
        centre=cohort.centre,
        detail={"cohort": str(cohort.uuid)},
    )
    return render(request, "centres/cohort_dashboard.html", context)


@login_required
@require_GET
def cohort_readiness(request: HttpRequest, cohort_uuid: UUID) -> HttpResponse:
    """Show each learner's predicted grade, weakest first: a page, or the dashboard's panel.

    The dashboard loads it after the page (htmx), because for a large cohort it takes longer
    than the heatmap (docs/centres.md has the numbers).
    """
    tutor, now = _user(request), timezone.now()
    cohort = cohort_get_for_tutor(user=tutor, cohort_uuid=str(cohort_uuid))
    learners = {learner.pk: learner for learner in cohort_learners(cohort=cohort)}
    moderation = moderation_summary_for_learners(learner_ids=list(learners))
    rows: list[tuple[User, Readiness, int]] = []
    if cohort.qualification is not None and learners:
        by_learner = readiness_for_learners(
            learner_ids=list(learners), qualification=cohort.qualification, now=now
        )
        rows = sorted(
            (
                (learners[pk], value, moderation.awaiting_by_learner.get(pk, 0))
                for pk, value in by_learner.items()
            ),
            key=lambda entry: (entry[1].p_pass, entry[0].display_name or entry[0].email),
        )
    context = {"cohort": cohort, "readiness_rows": rows}
    is_htmx = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "centres/cohort_readiness.html" + ("#readiness-table" if is_htmx else "")
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _assignments_url(cohort: Cohort) -> str:
    return reverse("centres:cohort-dashboard", args=[cohort.uuid]) + "#assignments"
