"""Plain data in and out of the LLM client, and the shared shape of a grounded answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from django.utils.translation import gettext as _
from pydantic import BaseModel, Field

Mode = Literal["llm", "offline"]
Failure = Literal[
    "not_configured", "timeout", "http_error", "rate_limited", "malformed", "budget_exceeded"
]


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


def failure_cause(failure: Failure) -> str:
    """Say in plain British English why the AI service did not answer."""
    causes: dict[Failure, str] = {
        "not_configured": _("No AI service is set up on this site"),
        "timeout": _("The AI service did not answer in time"),
        "http_error": _("The AI service reported an error"),
        "rate_limited": _("The AI service is busy at the moment"),
        "malformed": _("The AI service sent an answer we could not use"),
        "budget_exceeded": _("Today's allowance for the AI service has been used up"),
    }
    return causes[failure]


@dataclass(frozen=True)
class LlmOutcome:
    """What a feature gets back: an answer from the model, or a reason to answer offline.

    `content` is the raw text of the reply; `parsed` the validated pydantic object when a schema
    was given. On failure `mode` is "offline" and `reason` is a sentence to show the user.
    """

    ok: bool
    mode: Mode
    content: str = ""
    parsed: Any = None
    failure: Failure | None = None
    reason: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


class Citation(BaseModel):
    """A source the model relied on, and the exact words it says it took from it."""

    source: str = Field(max_length=40, description="The label of the source, e.g. 'S2'.")
    quote: str = Field(max_length=600, description="Words copied exactly from that source.")


class GroundedAnswer(BaseModel):
    """The JSON a grounded prompt asks for; checked by `sanitise.grounded_answer_verify`."""

    answer: str = Field(max_length=4000)
    citations: list[Citation] = Field(default_factory=list, max_length=12)
    refused: bool = False
    confidence: float = 0.5


class GroundedPoint(BaseModel):
    """One point of an answer with the sources it rests on; a point left uncited is dropped."""

    text: str = Field(max_length=1200)
    citations: list[Citation] = Field(default_factory=list, max_length=4)


class GroundedReply(BaseModel):
    """The JSON the tutor's prompt asks for; checked by `sanitise.grounded_reply_verify`.

    `points` and `refused` are required, so a reply of some other shape is off-schema.
    """

    refused: bool
    points: list[GroundedPoint] = Field(max_length=8)


class DraftItem(BaseModel):
    """One single-answer practice question a model drafts, with the evidence it rests on."""

    question: str = Field(max_length=400)
    answer: str = Field(max_length=200)
    distractors: list[str] = Field(min_length=3, max_length=3)
    source: str = Field(max_length=40)
    evidence: str = Field(max_length=600)


class DraftItems(BaseModel):
    """The JSON the item-drafting prompt asks for."""

    items: list[DraftItem] = Field(max_length=10)


class DraftConcept(BaseModel):
    name: str = Field(max_length=120)
    text: str = Field(max_length=600)


class UnitDraftReply(BaseModel):
    """The JSON the unit-drafting prompt asks for: the sections a unit page shows."""

    synopsis: str = Field(max_length=1200)
    concepts: list[DraftConcept] = Field(max_length=8)
    mistakes: list[str] = Field(max_length=8)
    tips: list[str] = Field(max_length=8)
