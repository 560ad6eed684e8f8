from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

QUESTION_MAX_LENGTH = 500


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "question-hint"}),
    )


class DraftItemsForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many questions to draft"), min_value=1, max_value=10, initial=5
    )


class UnitSpecForm(forms.Form):
    title = forms.CharField(label=_("Unit title"), max_length=300)
    objectives = forms.CharField(
        label=_("Learning objectives, one a line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    criteria = forms.CharField(
        label=_("Assessment criteria, one a line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip(" -•\t") for line in value.splitlines() if line.strip(" -•\t")]
