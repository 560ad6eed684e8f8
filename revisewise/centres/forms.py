"""Forms for the cohort dashboard: its sort and filter options, and setting an assignment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import Cohort
from revisewise.content.models import Unit
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item

DEFAULT_INACTIVE_DAYS = 7
MAX_INACTIVE_DAYS = 365
MAX_DUE_DAYS = 366
SORT_CHOICES = [
    ("name", _("Name")),
    ("mastery", _("Lowest mastery first")),
    ("-mastery", _("Highest mastery first")),
    ("activity", _("Longest since practice first")),
]
SHOW_CHOICES = [
    ("all", _("Everyone")),
    ("flagged", _("Behind plan or not practising")),
    ("behind", _("Behind their exam plan")),
    ("inactive", _("Not practising")),
]


class DashboardFilterForm(forms.Form):
    """Sort and filter the heatmap by GET parameters; anything invalid falls back to defaults."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)
    days = forms.IntegerField(
        label=_("Not practised for (days)"),
        min_value=1,
        max_value=MAX_INACTIVE_DAYS,
        required=False,
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [("", _("All units"))] + [
            (str(unit.uuid), unit.title) for unit in units
        ]

    def value(self, name: str, default: Any) -> Any:
        """Return the cleaned value of `name`, or `default` when it is missing or invalid."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.title}: {obj.stem}"


class AssignmentForm(forms.Form):
    """Set an assignment: a title, a due date and either one unit or some questions."""

    title = forms.CharField(label=_("Title"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today or later, within a year."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("No unit: I will choose questions"),
        help_text=_("Every question of the unit."),
    )
    items = ItemChoiceField(
        label=_("Or choose questions"),
        queryset=Item.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cohort: Cohort, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        visible = Item.objects.filter(
            qualification=cohort.qualification, status__in=LEARNER_VISIBLE_STATUSES
        )
        unit_field = self.fields["unit"]
        items_field = self.fields["items"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        assert isinstance(items_field, forms.ModelMultipleChoiceField)
        unit_field.queryset = Unit.objects.filter(pk__in=visible.values("unit_id")).order_by(
            "position", "title"
        )
        items_field.queryset = visible.select_related("unit").order_by(
            "unit__position", "unit_id", "pk"
        )

    @property
    def chosen_item_uuids(self) -> set[str]:
        """Return the uuids of the questions ticked in the submitted form."""
        values = self["items"].value() if self.is_bound else None
        return {str(value) for value in values or []}

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the assignment a title."))
        return title

    def clean_due_date(self) -> date:
        due: date = self.cleaned_data["due_date"]
        if due < self.today:
            raise forms.ValidationError(_("Choose a due date from today onwards."))
        if due > self.today + timedelta(days=MAX_DUE_DAYS):
            raise forms.ValidationError(_("Choose a due date within the next year."))
        return due

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, items = cleaned.get("unit"), cleaned.get("items")
        if "unit" in self.errors or "items" in self.errors:
            return cleaned
        if unit is None and not items:
            self.add_error("unit", _("Choose a unit, or choose at least one question."))
        elif unit is not None and items:
            self.add_error("items", _("Choose a unit or some questions, not both."))
        return cleaned
