"""Plain, frozen data in and out of the marking engine: no ORM objects cross this line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Label = Literal["correct", "partially_correct", "incorrect", "contradictory"]
Verdict = Literal["met", "partly_met", "not_met"]
GradeBand = Literal["pass", "distinction", "fail"]


@dataclass(frozen=True)
class Misconception:
    statement: str
    correction: str


@dataclass(frozen=True)
class Evidence:
    """A span of the learner's answer: `answer[start:end] == text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PointVerdict:
    """How far the answer meets one marking point.

    `evidence` is the one span that covers most of the point (what a single quote shows);
    `evidence_spans` are every span that covers one of its ideas, in answer order (a point met
    across several sentences has several). `similarity` is the whole point's best single span;
    `ideas_covered` the share of the point's ideas covered (met 1, partly 0.5), None for a point
    with one idea.
    """

    point: str
    verdict: Verdict
    evidence: Evidence | None
    similarity: float
    evidence_spans: tuple[Evidence, ...] = ()
    ideas_covered: float | None = None


@dataclass(frozen=True)
class MisconceptionShown:
    misconception: Misconception
    evidence: Evidence


@dataclass(frozen=True)
class MarkingRequest:
    question: str
    answer: str
    marking_points: tuple[str, ...] = ()
    reference_answers: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    pass_criteria: tuple[str, ...] = ()
    distinction_criteria: tuple[str, ...] = ()
    guidance: tuple[str, ...] = ()
    model_answer: str | None = None

    @property
    def references(self) -> tuple[str, ...]:
        """Return what the answer is compared with: references, else points, else model answer."""
        if self.reference_answers:
            return self.reference_answers
        if self.marking_points:
            return (" ".join(self.marking_points),)
        if self.model_answer:
            return (self.model_answer,)
        return (self.question,)


@dataclass(frozen=True)
class MarkResult:
    label: Label
    score: float
    point_verdicts: tuple[PointVerdict, ...]
    misconceptions_shown: tuple[MisconceptionShown, ...]
    grade_band: GradeBand | None
    feedback: str
    flags: tuple[str, ...]
    engine_name: str
    engine_version: str
    probabilities: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    # Items with marking points (since 2.2.0): the written-item decision's inputs (calibration.py
    # SIGNALS, logits), the path that decided ("scheme" or "references" as 1.0 / 0.0 in
    # "path_scheme") and its probability that the answer is correct ("p_written").
    signals: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
