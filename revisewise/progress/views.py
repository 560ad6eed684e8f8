"""Progress pages: the learner's mastery and activity, and their plan to the exam date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES
from revisewise.practice.selectors import due_count_for_learner
from revisewise.progress import charts
from revisewise.progress.forms import ExamPlanForm
from revisewise.progress.selectors import (
    exam_plans_list_for_learner,
    qualification_progress_list_for_learner,
)
from revisewise.scheduling.selectors import (
    due_forecast,
    review_counts_by_day,
    scheduling_settings_get_for_learner,
)
from revisewise.scheduling.services import exam_plan_set, learner_settings_update

ACTIVITY_DAYS = 30
FORECAST_DAYS = 14


def _learner(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the user is signed in.
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def progress_overview(request: HttpRequest) -> HttpResponse:
    """Show mastery per qualification, unit and objective, reviews per day and the forecast."""
    learner, now = _learner(request), timezone.now()
    today = now.date()
    activity = review_counts_by_day(
        learner=learner, start=today - timedelta(days=ACTIVITY_DAYS - 1), end=today
    )
    forecast = due_forecast(learner=learner, today=today, days=FORECAST_DAYS)
    progress = qualification_progress_list_for_learner(learner=learner, now=now)
    context = {
        "progress": [_with_chart(entry) for entry in progress],
        "reviews_today": activity[-1][1],
        "activity_chart": charts.daily_bar_chart(
            activity,
            title=_("Reviews per day"),
            description=_("Questions you answered on each of the last 30 days."),
        ),
        "forecast_chart": charts.daily_bar_chart(
            forecast,
            title=_("Reviews falling due"),
            description=_("Questions due for review on each of the next 14 days."),
        ),
        "due_count": due_count_for_learner(learner=learner, now=now),
    }
    return render(request, "progress/overview.html", context)


def _with_chart(entry: Any) -> dict[str, Any]:
    rows = [
        (row.objective.text or row.objective.name, row.mastery.value) for row in entry.objectives
    ]
    title = entry.qualification.title
    return {
        "entry": entry,
        "objective_chart": charts.mastery_bar_chart(
            rows,
            title=_("Mastery by learning objective: %(title)s") % {"title": title},
            description=_("How likely you are to recall each objective's questions now."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def exam_plan(request: HttpRequest) -> HttpResponse:
    """Set an exam date and daily settings, then show each exam's day-by-day plan."""
    learner, today = _learner(request), timezone.now().date()
    qualifications = (
        Qualification.objects.filter(practice_items__status__in=LEARNER_VISIBLE_STATUSES)
        .distinct()
        .order_by("title")
    )
    settings = scheduling_settings_get_for_learner(learner=learner)
    initial = {
        "qualification": request.GET.get("qualification", ""),
        "daily_capacity": settings.daily_capacity,
        "retention_percent": round(settings.desired_retention * 100),
    }
    form = ExamPlanForm(
        request.POST or None, initial=initial, qualifications=qualifications, today=today
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            exam_plan_set(
                learner=learner,
                qualification=form.cleaned_data["qualification"],
                exam_date=form.cleaned_data["exam_date"],
            )
            learner_settings_update(
                learner=learner,
                desired_retention=form.desired_retention(),
                daily_capacity=form.cleaned_data["daily_capacity"],
            )
        messages.success(request, _("Your exam date and plan are saved."))
        return redirect("progress:plan")
    context = {"form": form, "plans": exam_plans_list_for_learner(learner=learner, today=today)}
    return render(request, "progress/plan.html", context)
