"""Feedback on an answer's structure: situation, task, action, result (STAR).

Transparent cues, no model: each part is present when some sentence of the answer carries one of
its cues, and the first such sentence is quoted as evidence (`answer[start:end] == text`).

- Situation: a time or context phrase ("last year", "when I was", "at my previous job",
  "a customer rang ...").
- Task: the learner's role or brief ("my role", "I was asked", "I needed to", "responsible for").
- Action: the first person doing something ("I called", "I then explained", "I escalated"):
  "I" followed by a past-tense verb, not "I was"/"I had to" (those describe the task).
- Result: an outcome or lesson ("as a result", "resolved", "in the end", "I learned",
  "the customer thanked ...", "next time").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARTS = ("situation", "task", "action", "result")

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")

_SITUATION = re.compile(
    r"\b(?:last (?:year|month|week|summer|winter|spring|autumn|christmas)|"
    r"(?:a few|two|three|several|some) (?:days|weeks|months|years) ago|"
    r"(?:earlier|later) this (?:year|month|week)|recently|one (?:day|morning|afternoon|evening)|"
    r"at the time|when i (?:was|worked|started|joined)|while i (?:was|worked)|"
    r"(?:in|at) my (?:previous|last|current|first) (?:job|role|placement|team|company|employer)|"
    r"in my (?:job|role|placement|team) (?:as|at)|during (?:my|a|the|our)|"
    r"(?:a|one) (?:customer|client|colleague|caller|manager) "
    r"(?:called|rang|phoned|emailed|wrote|came|complained|contacted|arrived|asked)|"
    r"there was (?:a|an)|(?:on|in) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.IGNORECASE,
)
_TASK = re.compile(
    r"\b(?:my (?:role|job|task|responsibility|remit|goal|aim) (?:was|is|involved)|"
    r"i was (?:asked|tasked|responsible|expected|given|told|required)|"
    r"i (?:needed|had|wanted) to|(?:the|our) (?:aim|goal|target|task|objective) was|"
    r"it was my (?:job|responsibility|role)|responsible for|my manager asked me)\b",
    re.IGNORECASE,
)
_IRREGULAR_PAST = (
    "began|brought|built|chose|drew|found|gave|got|kept|led|made|met|put|rang|ran|read|sent|set|"
    "sought|spoke|stood|took|told|went|wrote|did|dealt|held|paid|sat|showed|thought|understood"
)
_ACTION = re.compile(
    # "When I worked there" sets the scene; it is not an action.
    r"(?<!when )(?<!while )(?<!since )(?<!before )(?<!after )"
    r"\bi\s+(?:then\s+|first\s+|also\s+|immediately\s+|quickly\s+|personally\s+|"
    r"carefully\s+|calmly\s+|next\s+)?"
    r"(?!(?:needed|wanted|used|learned|realised|realized|reflected)\b)"
    rf"(?:[a-z]+ed|{_IRREGULAR_PAST})\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(?:as a result|the result|the outcome|in the end|eventually|finally|which meant|"
    r"this meant|resolved|solved|fixed|satisfied|thanked|happy with|pleased|"
    r"i (?:learned|learnt|realised|realized|reflected)|learned|learnt|lesson|next time|"
    r"feedback (?:was|from)|(?:reduced|increased|improved|cut|raised) (?:the|our|their|by)|"
    r"score (?:went|rose)|went up|went down|led to|so that)\b",
    re.IGNORECASE,
)

_CUES: dict[str, re.Pattern[str]] = {
    "situation": _SITUATION,
    "task": _TASK,
    "action": _ACTION,
    "result": _RESULT,
}

# Action cues that really mark the task ("I was asked", "I had to") are not actions.
_NOT_ACTION = re.compile(r"^i\s+(?:was|were|had|needed|wanted)\b", re.IGNORECASE)

ADVICE: dict[str, str] = {
    "situation": "Set the scene: say when and where this happened and who was involved.",
    "task": "Say what your role was or what you were asked to achieve.",
    "action": 'Say what you did yourself, step by step, in the first person ("I checked ...").',
    "result": "Say how it ended and what you learned: the outcome for the customer and for you.",
}
LABELS: dict[str, str] = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StructurePart:
    part: str
    is_present: bool
    evidence: Sentence | None
    cue: str

    @property
    def label(self) -> str:
        return LABELS[self.part]

    @property
    def advice(self) -> str:
        return ADVICE[self.part]


def sentences(answer: str) -> list[Sentence]:
    """Split an answer into sentences with exact offsets (surrounding spaces trimmed)."""
    found = []
    for match in _SENTENCE.finditer(answer):
        raw = match.group(0)
        left = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            start = match.start() + left
            found.append(Sentence(start=start, end=start + len(text), text=text))
    return found


def _cue_in(part: str, sentence: Sentence) -> str:
    for match in _CUES[part].finditer(sentence.text):
        if part == "action" and _NOT_ACTION.match(match.group(0)):
            continue
        return match.group(0)
    return ""


def structure_detect(answer: str) -> tuple[StructurePart, ...]:
    """Return each STAR part with the sentence that shows it, or what is missing.

    The result is looked for from the end of the answer (where outcomes come), the other parts
    from the start; a sentence already quoted for an earlier part is used again only when no
    other sentence carries the cue.
    """
    split = sentences(answer)
    used: set[int] = set()
    parts = []
    for part in PARTS:
        order = list(reversed(split)) if part == "result" else split
        found = [(s, cue) for s in order if (cue := _cue_in(part, s))]
        fresh = [(s, cue) for s, cue in found if s.start not in used]
        if not found:
            parts.append(StructurePart(part=part, is_present=False, evidence=None, cue=""))
            continue
        sentence, cue = (fresh or found)[0]
        used.add(sentence.start)
        parts.append(StructurePart(part=part, is_present=True, evidence=sentence, cue=cue))
    return tuple(parts)
