"""Admin: cards and settings are inspectable; review logs and fitted parameters are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from revisewise.scheduling.models import (
    Card,
    ExamPlan,
    LearnerSchedulerParameters,
    LearnerSchedulingSettings,
    ReviewLog,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Learning records are append-only: nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["learner", "item", "state", "stability", "difficulty", "due", "review_count"]
    list_filter = ["state"]
    search_fields = ["learner__email"]
    list_select_related = ["learner", "item"]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["card", "rating", "reviewed_at", "elapsed_days", "retrievability_before"]
    list_filter = ["rating", "source", ("superseded_by", admin.EmptyFieldListFilter)]
    date_hierarchy = "reviewed_at"
    list_select_related = ["card__learner", "card__item"]


@admin.register(LearnerSchedulerParameters)
class LearnerSchedulerParametersAdmin(ReadOnlyAdmin):
    list_display = ["learner", "optimised_at", "review_count", "fsrs_version"]
    search_fields = ["learner__email"]


@admin.register(LearnerSchedulingSettings)
class LearnerSchedulingSettingsAdmin(admin.ModelAdmin[LearnerSchedulingSettings]):
    list_display = ["learner", "desired_retention", "daily_capacity"]
    search_fields = ["learner__email"]


@admin.register(ExamPlan)
class ExamPlanAdmin(admin.ModelAdmin[ExamPlan]):
    list_display = ["learner", "qualification", "exam_date"]
    search_fields = ["learner__email"]
    list_select_related = ["learner", "qualification"]
