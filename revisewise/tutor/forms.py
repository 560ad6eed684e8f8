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
