from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import Cohort
from revisewise.marking.models import MachineMark, Moderation, PersonMark
from revisewise.moderation.services import (
    LABEL_CHOICES,
    MAX_COMMENT_CHARS,
    VERDICT_CHOICES,
    machine_showed_misconception,
    machine_verdicts,
)


class _CohortFilterForm(forms.Form):
    """A choice of the tutor's own cohorts (`cohorts`); another centre's is invalid."""

    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("All your cohorts"),
        label=_("Cohort"),
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cohorts


class QueueFilterForm(_CohortFilterForm):
    flagged = forms.BooleanField(required=False, label=_("Only answers the learner has flagged"))


class MarkedFilterForm(_CohortFilterForm):
    mine = forms.BooleanField(required=False, label=_("Only answers I have marked or revised"))


def point_fields_add(form: forms.Form, *, initials: Sequence[str | None]) -> None:
    """Add a verdict (met / partly met / not met) and a comment field per marking point.

    `initials` has one entry per point: the verdict to preselect, or None for none.
    """
    for index, initial in enumerate(initials):
        form.fields[f"point_{index}_verdict"] = forms.ChoiceField(
            choices=VERDICT_CHOICES,
            widget=forms.RadioSelect,
            initial=initial,
            label=_("Your verdict"),
            error_messages={"required": _("Choose met, partly met or not met.")},
        )
        form.fields[f"point_{index}_comment"] = forms.CharField(
            required=False,
            max_length=MAX_COMMENT_CHARS,
            widget=forms.Textarea(attrs={"rows": 2}),
            label=_("Comment on this point"),
        )


def point_error_links(form: forms.Form) -> list[tuple[str, str]]:
    """Return (anchor, message) for the error summary, in the order of the page.

    A radio group's anchor is its first choice; a point's error names the point's number.
    """
    links: list[tuple[str, str]] = []
    for name, field in form.fields.items():
        for error in form.errors.get(name, []):
            anchor = form[name].auto_id
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


def _point_verdicts(data: dict[str, Any], points: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "point": point,
            "verdict": data[f"point_{index}_verdict"],
            "comment": data[f"point_{index}_comment"],
        }
        for index, point in enumerate(points)
    ]


@dataclass(frozen=True)
class PointRow:
    """One marking point's fieldset; the machine's verdict and evidence when there is a mark."""

    number: int
    point: str
    verdict: forms.BoundField
    comment: forms.BoundField
    machine: str = ""
    machine_name: str = ""
    evidence: str = ""


class _PointsForm(forms.Form):
    """The overall comment; `point_fields_add` adds a verdict and comment per marking point."""

    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Overall comment for the learner"),
    )


class ModerationForm(_PointsForm):
    """One fieldset per marking point, preselected with the machine's verdict."""

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
        point_fields_add(
            self, initials=[tutor.get(point, machine) for point, machine in self.points]
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
            "point_verdicts": _point_verdicts(data, [point for point, _machine in self.points]),
            "comment": data["comment"],
            "label": data.get("label"),
            "misconception_upheld": data.get("misconception_upheld"),
        }


class PersonMarkForm(_PointsForm):
    """One fieldset per marking point: nothing preselected for a first mark (there is no
    machine verdict); a revision starts from the current mark, whose uuid it carries."""

    def __init__(
        self, *args: Any, points: list[str], current: PersonMark | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.points = points
        # Set when the tutor's revision came too late: the newest mark, which the form now revises.
        self.stale_mark: PersonMark | None = None
        given = {str(row.get("point")): row for row in (current.point_verdicts if current else [])}
        point_fields_add(self, initials=[given.get(point, {}).get("verdict") for point in points])
        for index, point in enumerate(points):
            self.fields[f"point_{index}_comment"].initial = given.get(point, {}).get("comment")
        if not points:
            self.fields["label"] = forms.ChoiceField(
                choices=LABEL_CHOICES,
                widget=forms.RadioSelect,
                initial=current.label if current else None,
                label=_("Your mark for the answer"),
                error_messages={"required": _("Choose a mark for the answer.")},
            )
        if current is not None:
            self.fields["comment"].initial = current.comment
            # The mark this form revises: a revision of an older one is refused as stale.
            self.fields["revises"] = forms.UUIDField(widget=forms.HiddenInput, initial=current.uuid)
        self.order_fields([name for name in self.fields if name != "comment"])

    def point_rows(self) -> list[PointRow]:
        return [
            PointRow(
                number=index + 1,
                point=point,
                verdict=self[f"point_{index}_verdict"],
                comment=self[f"point_{index}_comment"],
            )
            for index, point in enumerate(self.points)
        ]

    def error_links(self) -> list[tuple[str, str]]:
        return point_error_links(self)

    def service_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments of `person_mark_record`, or of `person_mark_revise` when
        the form revises a mark (after `is_valid`)."""
        data = self.cleaned_data
        return {
            "point_verdicts": _point_verdicts(data, self.points),
            "comment": data["comment"],
            "label": data.get("label"),
            **({"revises_uuid": data["revises"]} if "revises" in data else {}),
        }
