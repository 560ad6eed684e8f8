"""Split a learner's answer into plain and highlighted pieces from the engine's evidence spans.

The pieces are plain text; the template escapes them, so an answer can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    # Which marking points (numbered from 1) and whether a misconception this piece is evidence of.
    points: tuple[int, ...] = ()
    is_misconception: bool = False

    @property
    def points_label(self) -> str:
        return ", ".join(str(n) for n in self.points)

    @property
    def is_evidence(self) -> bool:
        return bool(self.points) or self.is_misconception


def locate(answer: str, evidence: Any) -> tuple[int, int] | None:
    """Return where the evidence sits in the answer, or None if it cannot be found.

    The engine's offsets index the answer it marked, which can differ from the stored text
    (an instruction to the marker is stripped first), so fall back on finding the text.
    """
    if not isinstance(evidence, dict):
        return None
    text = str(evidence.get("text") or "")
    start, end = evidence.get("start"), evidence.get("end")
    if not text:
        return None
    if isinstance(start, int) and isinstance(end, int) and answer[start:end] == text:
        return start, end
    found = answer.find(text)
    return (found, found + len(text)) if found >= 0 else None


def answer_segments(answer: str, result: dict[str, Any]) -> list[Segment]:
    """Return the answer as consecutive segments, each marked with what it is evidence of."""
    covers: list[set[int]] = [set() for _ in answer]
    misconception = [False] * len(answer)
    for number, verdict in enumerate(result.get("point_verdicts") or [], start=1):
        span = locate(answer, verdict.get("evidence"))
        if span:
            for i in range(*span):
                covers[i].add(number)
    for shown in result.get("misconceptions_shown") or []:
        span = locate(answer, shown.get("evidence"))
        if span:
            for i in range(*span):
                misconception[i] = True
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(answer) + 1):
        if i == len(answer) or (covers[i], misconception[i]) != (
            covers[start],
            misconception[start],
        ):
            segments.append(
                Segment(
                    text=answer[start:i],
                    points=tuple(sorted(covers[start])),
                    is_misconception=misconception[start],
                )
            )
            start = i
    return segments
