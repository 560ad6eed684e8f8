"""Assessment plans in the admin: a plan with its methods, a method with its grade boundaries.

Boundaries are checked as the importer checks them: every mark from 0 to the question count
earns exactly one grade, and every grade is one of the plan's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

from revisewise.epa.models import AssessmentMethod, AssessmentPlan, GradeBoundary


class AssessmentMethodInline(admin.StackedInline[AssessmentMethod, AssessmentPlan]):
    model = AssessmentMethod
    extra = 0
    fields = (
        "position",
        "kind",
        "name",
        "duration_minutes",
        "question_count",
        "question_kind",
        "grading_rules",
        "source",
        "uncertain_note",
    )
    show_change_link = True


@admin.register(AssessmentPlan)
class AssessmentPlanAdmin(admin.ModelAdmin[AssessmentPlan]):
    list_display = ("standard_code", "standard_title", "qualification", "source_date")
    search_fields = ("standard_code", "standard_title", "qualification__title")
    readonly_fields = ("source_file",)
    inlines = (AssessmentMethodInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class BoundaryFormSet(BaseInlineFormSet[GradeBoundary, AssessmentMethod, Any]):
    def clean(self) -> None:
        super().clean()
        method = self.instance
        rows = sorted(
            (
                (
                    form.cleaned_data["min_marks"],
                    form.cleaned_data["max_marks"],
                    form.cleaned_data["grade"],
                )
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
        )
        if not rows:
            return
        if method.question_count is None:
            raise ValidationError("Grade boundaries need the method's question count.")
        unknown = [grade for _, _, grade in rows if grade not in method.plan.grades]
        if unknown:
            raise ValidationError(f"{', '.join(unknown)}: not one of the plan's grades.")
        expected = 0
        for low, high, _ in rows:
            if low != expected:
                raise ValidationError(
                    f"The boundaries leave a gap or overlap at {expected} marks: every mark "
                    f"from 0 to {method.question_count} must earn exactly one grade."
                )
            expected = high + 1
        if expected != method.question_count + 1:
            raise ValidationError(
                f"The boundaries end at {expected - 1} marks, not at the question count "
                f"{method.question_count}."
            )


class GradeBoundaryInline(admin.TabularInline[GradeBoundary, AssessmentMethod]):
    model = GradeBoundary
    formset = BoundaryFormSet
    extra = 0


@admin.register(AssessmentMethod)
class AssessmentMethodAdmin(admin.ModelAdmin[AssessmentMethod]):
    list_display = ("name", "plan", "kind", "duration_minutes", "question_count")
    list_filter = ("kind",)
    inlines = (GradeBoundaryInline,)
