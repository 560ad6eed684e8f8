"""Turn a stored mark into the feedback page: criteria, evidence, structure, the way to distinction.

Everything shown comes from the stored mark (the engine's verdicts and evidence offsets), the
prompt's snapshot (the content rows it cites) and the answer itself. Evidence is highlighted by
splitting the answer into plain-text segments; the template escapes each one, so the learner's
text is never interpreted as HTML.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from revisewise.discussion.structure import ADVICE, LABELS

VERDICT_WORDS = {"met": "Shown", "partly_met": "Partly shown", "not_met": "Missing"}
BAND_WORDS = {"pass": "Pass", "distinction": "Distinction", "fail": "Not yet a pass"}
FLAG_WORDS = {
    "injection_attempt": "Instructions to the marker were ignored; only your answer was marked.",
    "bare_list": "Listing the points is not enough: explain each one with what you did.",
    "copied_question": "Your answer repeats the question: describe your own example.",
    "non_english": "Answers are marked in English.",
    "off_topic": "Your answer does not seem to be about this question.",
    "empty": "Your answer has no words to mark.",
}


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()

    @property
    def is_evidence(self) -> bool:
        return bool(self.labels)


@dataclass(frozen=True)
class CriterionRow:
    number: int
    text: str
    verdict: str
    evidence: str

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS.get(self.verdict, self.verdict)


@dataclass(frozen=True)
class StructureRow:
    part: str
    is_present: bool
    evidence: str
    cue: str

    @property
    def label(self) -> str:
        return LABELS[self.part]

    @property
    def advice(self) -> str:
        return ADVICE[self.part]


@dataclass(frozen=True)
class AnswerFeedback:
    grade_band: str
    score: float
    pass_rows: list[CriterionRow]
    distinction_rows: list[CriterionRow]
    structure: list[StructureRow]
    segments: list[Segment]
    flags: list[str]
    engine: str

    @property
    def band_words(self) -> str:
        return BAND_WORDS.get(self.grade_band, self.grade_band)

    @property
    def structure_missing(self) -> list[StructureRow]:
        return [row for row in self.structure if not row.is_present]

    @property
    def to_distinction(self) -> list[CriterionRow]:
        """Return the distinction criteria not yet fully shown."""
        return [row for row in self.distinction_rows if row.verdict != "met"]

    @property
    def missing_pass(self) -> list[CriterionRow]:
        return [row for row in self.pass_rows if row.verdict != "met"]


def _valid_span(answer: str, evidence: Any) -> tuple[int, int] | None:
    if not evidence:
        return None
    start, end = int(evidence["start"]), int(evidence["end"])
    if 0 <= start < end <= len(answer) and answer[start:end] == evidence["text"]:
        return start, end
    return None


def _rows(
    answer: str, criteria: list[dict[str, Any]], verdicts: list[dict[str, Any]], prefix: str
) -> tuple[list[CriterionRow], list[tuple[int, int, str]]]:
    rows, spans = [], []
    for number, criterion in enumerate(criteria, start=1):
        verdict = verdicts[number - 1] if number <= len(verdicts) else {}
        span = _valid_span(answer, verdict.get("evidence"))
        state = str(verdict.get("verdict", "not_met"))
        rows.append(
            CriterionRow(
                number=number,
                text=criterion["text"],
                verdict=state,
                evidence=answer[span[0] : span[1]] if span else "",
            )
        )
        if span and state != "not_met":
            spans.append((span[0], span[1], f"{prefix} {number}"))
    return rows, spans


def highlight(answer: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Split `answer` into segments, each with the labels of the evidence spans covering it."""
    cuts = sorted({0, len(answer), *(s for s, _e, _l in spans), *(e for _s, e, _l in spans)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        labels = tuple(label for s, e, label in spans if s <= start and end <= e)
        segments.append(Segment(text=answer[start:end], labels=labels))
    return segments


def answer_feedback(
    *, answer_text: str, prompt: dict[str, Any], result: dict[str, Any]
) -> AnswerFeedback:
    """Build the feedback for one answer from its stored mark `result` and its prompt."""
    main, distinction = result["pass"], result["distinction"]
    pass_rows, pass_spans = _rows(
        answer_text, prompt["pass_criteria"], main["point_verdicts"], "Pass criterion"
    )
    distinction_rows, distinction_spans = _rows(
        answer_text,
        prompt["distinction_criteria"],
        distinction["point_verdicts"],
        "Distinction criterion",
    )
    structure = []
    for part in result["structure"]:
        span = _valid_span(answer_text, part["evidence"])
        structure.append(
            StructureRow(
                part=part["part"],
                is_present=bool(part["is_present"] and span),
                evidence=answer_text[span[0] : span[1]] if span else "",
                cue=part["cue"],
            )
        )
    return AnswerFeedback(
        grade_band=main["grade_band"] or "fail",
        score=float(main["score"]),
        pass_rows=pass_rows,
        distinction_rows=distinction_rows,
        structure=structure,
        segments=highlight(answer_text, pass_spans + distinction_spans),
        flags=[FLAG_WORDS[flag] for flag in main["flags"] if flag in FLAG_WORDS],
        engine=f"{main['engine_name']} {main['engine_version']}",
    )
