"""Forms for discussion practice: starting a session and answering one prompt."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from revisewise.discussion.models import MAX_ANSWER_CHARS
from revisewise.discussion.prompts import DEFAULT_PROMPTS, MAX_PROMPTS, MIN_PROMPTS


class SessionStartForm(forms.Form):
    unit = forms.UUIDField(
        error_messages={"required": _("Choose a unit to discuss."), "invalid": _("Choose a unit.")}
    )
    prompt_count = forms.TypedChoiceField(
        label=_("Number of questions"),
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_PROMPTS, MAX_PROMPTS + 1)],
        initial=DEFAULT_PROMPTS,
    )


class AnswerForm(forms.Form):
    # No maxlength on the control: a longer answer is kept in the box with a message saying
    # how much to cut, rather than silently truncated by the browser.
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=True,
        error_messages={"required": _("Write an answer before sending it.")},
    )

    def clean_answer(self) -> str:
        answer: str = self.cleaned_data["answer"]
        if len(answer) > MAX_ANSWER_CHARS:
            raise forms.ValidationError(
                _(
                    "Your answer is %(length)s characters long; answers can be at most "
                    "%(limit)s. Shorten it by %(over)s characters and send it again: "
                    "your text is still in the box."
                ),
                params={
                    "length": f"{len(answer):,}",
                    "limit": f"{MAX_ANSWER_CHARS:,}",
                    "over": f"{len(answer) - MAX_ANSWER_CHARS:,}",
                },
            )
        return answer
