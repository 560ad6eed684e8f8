"""The exam plan form: an exam date for one qualification and the learner's daily settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from revisewise.content.models import Qualification
from revisewise.scheduling.memory import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION

# The plan simulates every day to the exam; two years is further ahead than any course runs.
MAX_DAYS_AHEAD = 730
MAX_DAILY_CAPACITY = 1000


class UuidChoiceField(forms.ModelChoiceField[Qualification]):
    """Choose by UUID, treating a malformed UUID like any other choice not in the list."""

    def to_python(self, value: Any) -> Qualification | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class ExamPlanForm(forms.Form):
    """Validate an exam date after `today` and the daily capacity and target retention.

    Retention is asked for as a whole percentage (70-97), the way learners think of it.
    """

    qualification = UuidChoiceField(
        queryset=Qualification.objects.none(),
        to_field_name="uuid",
        label=_("Qualification"),
        empty_label=_("Choose a qualification"),
        error_messages={
            "required": _("Choose the qualification you are sitting."),
            "invalid_choice": _("Choose a qualification from the list."),
        },
    )
    exam_date = forms.DateField(
        label=_("Exam date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date of your exam."),
            "invalid": _("Enter the exam date as a real date, for example 27 3 2027."),
        },
    )
    daily_capacity = forms.IntegerField(
        label=_("Questions a day"),
        help_text=_("How many questions, new and review, you can answer on a typical day."),
        min_value=1,
        max_value=MAX_DAILY_CAPACITY,
        error_messages={
            "required": _("Enter how many questions you can answer a day."),
            "invalid": _("Enter the number of questions a day as a whole number."),
            "min_value": _("Enter at least 1 question a day."),
            "max_value": _("Enter at most %(limit_value)s questions a day."),
        },
    )
    retention_percent = forms.IntegerField(
        label=_("Target retention (%)"),
        help_text=_("How much you aim to remember on exam day: 90 suits most learners."),
        min_value=round(MIN_DESIRED_RETENTION * 100),
        max_value=round(MAX_DESIRED_RETENTION * 100),
        error_messages={
            "required": _("Enter a target retention between 70 and 97."),
            "invalid": _("Enter the target retention as a whole number between 70 and 97."),
            "min_value": _("Enter a target retention of at least %(limit_value)s."),
            "max_value": _("Enter a target retention of at most %(limit_value)s."),
        },
    )

    def __init__(
        self, *args: Any, qualifications: QuerySet[Qualification], today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["qualification"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = qualifications
        for name, each in self.fields.items():
            if each.help_text:
                each.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        """Validate, then point each invalid control at its error so screen readers read it."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()
                widget.attrs["aria-invalid"] = "true"

    def clean_exam_date(self) -> date:
        exam_date: date = self.cleaned_data["exam_date"]
        if exam_date <= self.today:
            raise forms.ValidationError(_("Choose an exam date after today."))
        if exam_date > self.today + timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose an exam date within the next two years."))
        return exam_date

    def desired_retention(self) -> float:
        return int(self.cleaned_data["retention_percent"]) / 100
