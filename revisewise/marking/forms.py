"""Forms for written answers: the answer itself and the learner's disagreement with a mark."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from revisewise.marking.services import FLAG_REASON_MAX_CHARS
from revisewise.practice.forms import MAX_DURATION_MS, TOKEN_SALT, written_response_field


class WrittenAnswerForm(forms.Form):
    """One written answer with the signed token issued with the page (`token`)."""

    token = forms.CharField(widget=forms.HiddenInput)
    response = written_response_field()

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        try:
            signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature as error:
            raise forms.ValidationError(_("This form has expired: please answer again.")) from error
        return token

    def duration_ms(self) -> int | None:
        """Return how long the learner took, from the time carried in the token."""
        shown_at = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT)["t"]
        elapsed = int(time.time() * 1000) - int(shown_at)
        return elapsed if 0 <= elapsed <= MAX_DURATION_MS else None


class MarkFlagForm(forms.Form):
    reason = forms.CharField(
        max_length=FLAG_REASON_MAX_CHARS,
        strip=True,
        label=_("Why do you disagree?"),
        error_messages={"required": _("Say why you disagree with the mark.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
