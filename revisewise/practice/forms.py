"""Forms for practice: starting a session and answering one item of any type."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from revisewise.marking.adversarial import MAX_ANSWER_CHARS
from revisewise.practice.models import ItemType, SessionScope

TOKEN_SALT = "practice.answer"
# A form older than this still saves, but its time says nothing about recall speed.
MAX_DURATION_MS = 30 * 60 * 1000
FLASHCARD_CHOICES = [
    ("again", _("Again")),
    ("hard", _("Hard")),
    ("good", _("Good")),
    ("easy", _("Easy")),
]


class _AnswerLengthValidator(MaxLengthValidator):
    """Refuse an answer over the limit, naming its length and the limit with thousands commas."""

    message = _(
        "Your answer is %(length)s characters long; the limit is %(limit)s. Shorten it to the "
        "points the question asks for and submit it again: your text is still here."
    )

    def __call__(self, value: Any) -> None:
        if len(value) > self.limit_value:
            params = {"length": f"{len(value):,}", "limit": f"{self.limit_value:,}"}
            raise forms.ValidationError(self.message, code="max_length", params=params)


def written_response_field() -> forms.CharField:
    """Return the written-answer field: the marking engine's length limit, with clear messages.

    The page keeps the text on an error, so a learner over the limit loses nothing.
    """
    return forms.CharField(
        validators=[_AnswerLengthValidator(MAX_ANSWER_CHARS)],
        error_messages={"required": _("Write your answer before you submit it.")},
    )


def answer_token_issue() -> str:
    """Return a fresh signed token carrying the time the item was shown."""
    return signing.dumps({"n": uuid.uuid4().hex, "t": int(time.time() * 1000)}, salt=TOKEN_SALT)


class SessionStartForm(forms.Form):
    scope = forms.ChoiceField(choices=SessionScope.choices)
    unit = forms.UUIDField(required=False)
    qualification = forms.UUIDField(required=False)


class AnswerForm(forms.Form):
    """Validate an answer against what the learner was shown (`presentation`).

    Field names: `response` for single-control types, `step_<n>` for ordering slots and
    `match_<left id>` for matching. `token` is the signed token issued with the page.
    """

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, presentation: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.presentation = presentation
        self.item_type = presentation["item_type"]
        self.fields.update(self._answer_fields())

    def _answer_fields(self) -> dict[str, forms.Field]:
        shown = self.presentation
        kind = self.item_type
        if kind == ItemType.MCQ_SINGLE:
            return {"response": forms.ChoiceField(choices=_choices(shown["options"]))}
        if kind == ItemType.MCQ_MULTI:
            return {"response": forms.MultipleChoiceField(choices=_choices(shown["options"]))}
        if kind == ItemType.TRUE_FALSE:
            return {"response": forms.ChoiceField(choices=[("true", "True"), ("false", "False")])}
        if kind == ItemType.CLOZE:
            return {"response": forms.CharField(max_length=200)}
        if kind == ItemType.WRITTEN:
            return {"response": written_response_field()}
        if kind == ItemType.FLASHCARD:
            return {"response": forms.ChoiceField(choices=FLASHCARD_CHOICES)}
        if kind == ItemType.ORDERING:
            steps = _choices(shown["steps"])
            return {
                f"step_{n}": forms.ChoiceField(choices=steps)
                for n in range(1, len(shown["steps"]) + 1)
            }
        rights = _choices(shown["rights"])
        return {f"match_{left['id']}": forms.ChoiceField(choices=rights) for left in shown["lefts"]}

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        try:
            signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature as error:
            raise forms.ValidationError(_("This form has expired: please answer again.")) from error
        return token

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.item_type == ItemType.ORDERING and not self.errors:
            chosen = [cleaned[f"step_{n}"] for n in range(1, len(self.presentation["steps"]) + 1)]
            if len(set(chosen)) != len(chosen):
                raise forms.ValidationError(_("Use each step once."))
        return cleaned

    def response(self) -> Any:
        """Return the answer in the shape `Item.grade` takes."""
        data = self.cleaned_data
        if self.item_type == ItemType.ORDERING:
            return [data[f"step_{n}"] for n in range(1, len(self.presentation["steps"]) + 1)]
        if self.item_type == ItemType.MATCHING:
            return {left["id"]: data[f"match_{left['id']}"] for left in self.presentation["lefts"]}
        if self.item_type == ItemType.TRUE_FALSE:
            return data["response"] == "true"
        if self.item_type in (ItemType.CLOZE, ItemType.WRITTEN):
            return data["response"].strip()
        return data["response"]

    def duration_ms(self) -> int | None:
        """Return how long the learner took, from the time carried in the token."""
        shown_at = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT)["t"]
        elapsed = int(time.time() * 1000) - int(shown_at)
        return elapsed if 0 <= elapsed <= MAX_DURATION_MS else None


def _choices(entries: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(entry["id"], entry["text"]) for entry in entries]
