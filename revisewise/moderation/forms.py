from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import Cohort
from revisewise.marking.models import MachineMark, Moderation
from revisewise.moderation.services import (
    LABEL_CHOICES,
    MAX_COMMENT_CHARS,
    VERDICT_CHOICES,
    machine_showed_misconception,
    machine_verdicts,
)


class QueueFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("All your cohorts"),
        label=_("Cohort"),
    )
    flagged = forms.BooleanField(required=False, label=_("Only answers the learner has flagged"))

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cohorts


@dataclass(frozen=True)
class PointRow:
    number: int
    point: str
    machine: str
    machine_name: str
    evidence: str
    verdict: forms.BoundField
    comment: forms.BoundField


class ModerationForm(forms.Form):
    """One fieldset per marking point, preselected with the machine's verdict."""

    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Overall comment for the learner"),
    )

    def __init__(
        self, *args: Any, mark: MachineMark, current: Moderation | None = None, **kwargs: Any
    ) -> None:
        """`current` is the newest moderation: its verdicts are preselected, else the machine's."""
        super().__init__(*args, **kwargs)
        self.mark = mark
        self.points = machine_verdicts(mark)
        tutor = {
            str(row.get("point")): str(row.get("tutor"))
            for row in (current.point_verdicts if current else [])
        }
        for index, (point, machine) in enumerate(self.points):
            self.fields[f"point_{index}_verdict"] = forms.ChoiceField(
                choices=VERDICT_CHOICES,
                widget=forms.RadioSelect,
                initial=tutor.get(point, machine),
                label=_("Your verdict"),
                error_messages={"required": _("Choose met, partly met or not met.")},
            )
            self.fields[f"point_{index}_comment"] = forms.CharField(
                required=False,
                max_length=MAX_COMMENT_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Comment on this point"),
            )
        if not self.points:
            self.fields["label"] = forms.ChoiceField(
                choices=LABEL_CHOICES,
                widget=forms.RadioSelect,
                initial=current.label if current else mark.label,
                label=_("Your mark for the answer"),
            )
        if machine_showed_misconception(mark):
            # Moderation keeps no flag for this; an earlier verdict shows in its label.
            dropped = current is not None and current.label not in ("contradictory", "incorrect")
            self.fields["misconception_upheld"] = forms.BooleanField(
                required=False,
                initial=not dropped,
                label=_("The answer really shows the misconception found above"),
            )

    def point_rows(self) -> list[PointRow]:
        names = dict(VERDICT_CHOICES)
        results = self.mark.result.get("point_verdicts") or []
        return [
            PointRow(
                number=index + 1,
                point=point,
                machine=machine,
                machine_name=str(names.get(machine, machine)),
                evidence=str((results[index].get("evidence") or {}).get("text") or ""),
                verdict=self[f"point_{index}_verdict"],
                comment=self[f"point_{index}_comment"],
            )
            for index, (point, machine) in enumerate(self.points)
        ]

    def service_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments of `moderation_record` (after `is_valid`)."""
        data = self.cleaned_data
        return {
            "point_verdicts": [
                {
                    "point": point,
                    "verdict": data[f"point_{index}_verdict"],
                    "comment": data[f"point_{index}_comment"],
                }
                for index, (point, _machine) in enumerate(self.points)
            ],
            "comment": data["comment"],
            "label": data.get("label"),
            "misconception_upheld": data.get("misconception_upheld"),
        }


@dataclass(frozen=True)
class PersonPointRow:
    number: int
    point: str
    verdict: forms.BoundField
    comment: forms.BoundField


class PersonMarkForm(forms.Form):
    """One fieldset per marking point with nothing preselected: there is no machine verdict."""

    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Overall comment for the learner"),
    )

    def __init__(self, *args: Any, points: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = points
        for index, _point in enumerate(points):
            self.fields[f"point_{index}_verdict"] = forms.ChoiceField(
                choices=VERDICT_CHOICES,
                widget=forms.RadioSelect,
                label=_("Your verdict"),
                error_messages={"required": _("Choose met, partly met or not met.")},
            )
            self.fields[f"point_{index}_comment"] = forms.CharField(
                required=False,
                max_length=MAX_COMMENT_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Comment on this point"),
            )
        if not points:
            self.fields["label"] = forms.ChoiceField(
                choices=LABEL_CHOICES,
                widget=forms.RadioSelect,
                label=_("Your mark for the answer"),
                error_messages={"required": _("Choose a mark for the answer.")},
            )
        self.order_fields([name for name in self.fields if name != "comment"])

    def point_rows(self) -> list[PersonPointRow]:
        return [
            PersonPointRow(
                number=index + 1,
                point=point,
                verdict=self[f"point_{index}_verdict"],
                comment=self[f"point_{index}_comment"],
            )
            for index, point in enumerate(self.points)
        ]

    def error_links(self) -> list[tuple[str, str]]:
        """Return (anchor, message) for the error summary, in the order of the page."""
        links: list[tuple[str, str]] = []
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                anchor = self[name].auto_id
                if isinstance(field.widget, forms.RadioSelect):
                    anchor += "_0"
                match = name.split("_")
                if name.startswith("point_") and match[1].isdigit():
                    error = _("Marking point %(number)s: %(error)s") % {
                        "number": int(match[1]) + 1,
                        "error": error,
                    }
                links.append((anchor, str(error)))
        return links

    def service_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments of `person_mark_record` (after `is_valid`)."""
        data = self.cleaned_data
        return {
            "point_verdicts": [
                {
                    "point": point,
                    "verdict": data[f"point_{index}_verdict"],
                    "comment": data[f"point_{index}_comment"],
                }
                for index, point in enumerate(self.points)
            ],
            "comment": data["comment"],
            "label": data.get("label"),
        }
