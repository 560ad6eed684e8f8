"""Measure retrieval against a set of learner questions: recall@k and mean reciprocal rank.

A question file is JSON Lines of {"question", "unit", "section"} (or "sections": [...], any of
which answers it), optionally with "earlier": [...], the conversation's earlier questions (oldest
first), for follow-up questions. A retrieved passage is a hit when it is from that unit (or is
shared by the unit's qualification) and from one of those sections.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from revisewise.content.models import Unit
from revisewise.tutor.followup import Turn, question_read
from revisewise.tutor.passages import canonical_section
from revisewise.tutor.retrieval import Hit, retrieve

CUTOFFS = (1, 3, 5)


class QuestionFileError(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    text: str
    unit: Unit
    sections: frozenset[str]
    earlier: tuple[str, ...] = ()

    def query(self, *, use_earlier: bool = True) -> str:
        """Return what is searched for: a follow-up is read with its earlier questions."""
        if not use_earlier:
            return self.text
        turns = [Turn(question=text) for text in self.earlier]
        return question_read(question=self.text, earlier=turns).query

    def is_answered_by(self, hit: Hit) -> bool:
        if hit.section not in self.sections:
            return False
        if hit.unit_id is None:
            return hit.qualification_id == self.unit.qualification_id
        return hit.unit_id == self.unit.pk


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None
    retrieved: tuple[Hit, ...]


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    latencies_ms: tuple[float, ...]

    def recall_at(self, k: int) -> float:
        found = sum(1 for o in self.outcomes if o.rank is not None and o.rank <= k)
        return found / len(self.outcomes) if self.outcomes else 0.0

    @property
    def mrr(self) -> float:
        total = sum(1 / o.rank for o in self.outcomes if o.rank is not None)
        return total / len(self.outcomes) if self.outcomes else 0.0

    @property
    def answered_rate(self) -> float:
        """The share of questions the tutor would answer rather than refuse."""
        answered = sum(1 for o in self.outcomes if any(hit.is_relevant for hit in o.retrieved))
        return answered / len(self.outcomes) if self.outcomes else 0.0

    def as_dict(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies_ms) or [0.0]
        return {
            "questions": len(self.outcomes),
            **{f"recall_at_{k}": round(self.recall_at(k), 4) for k in CUTOFFS},
            "mrr": round(self.mrr, 4),
            "answered_rate": round(self.answered_rate, 4),
            "latency_ms_p50": round(statistics.median(ordered), 1),
            "latency_ms_p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        }


def load_questions(path: Path, *, split: str | None = None) -> list[Question]:
    """Read a question file (only one split of it if given); raise on a bad entry."""
    units = {unit.title.casefold(): unit for unit in Unit.objects.select_related("qualification")}
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if split and entry.get("split", "dev") != split:
                continue
            sections = entry.get("sections") or [entry["section"]]
            unit = units[entry["unit"].strip().casefold()]
            questions.append(
                Question(
                    text=entry["question"],
                    unit=unit,
                    sections=frozenset(canonical_section(s) for s in sections),
                    earlier=tuple(str(text) for text in entry.get("earlier", [])),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as error:
            raise QuestionFileError(f"{path}:{number}: {error!r}") from error
    return questions


def evaluate(
    questions: list[Question], *, is_scoped: bool = True, use_earlier: bool = True
) -> Report:
    """Retrieve the top passages for each question and record where the first hit ranks.

    A question with earlier turns is read as the tutor reads it in a conversation, unless
    `use_earlier` is false (then every question is searched for on its own, for comparison).
    """
    outcomes, latencies = [], []
    for question in questions:
        started = time.perf_counter()
        hits = retrieve(
            question=question.query(use_earlier=use_earlier),
            qualification_id=question.unit.qualification_id if is_scoped else None,
            limit=max(CUTOFFS),
        )
        latencies.append((time.perf_counter() - started) * 1000)
        rank = next((i for i, hit in enumerate(hits, 1) if question.is_answered_by(hit)), None)
        outcomes.append(Outcome(question, rank, tuple(hits)))
    return Report(tuple(outcomes), tuple(latencies))


def refusal_rate(path: Path) -> float:
    """Return the share of off-topic questions (JSON Lines of {"question"}) the tutor refuses."""
    questions = [
        json.loads(line)["question"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    refused = sum(
        1
        for text in questions
        if not any(hit.is_relevant for hit in retrieve(question=text, limit=max(CUTOFFS)))
    )
    return refused / len(questions) if questions else 0.0
