"""Learning objectives and assessment criteria: written exam questions marked against criteria.

Also maps any item to the objective it practises, by content-word overlap (deterministic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revisewise.practice.generation.normalise import (
    ensure_full_stop,
    lower_first,
    overlap,
    sentence_case,
    split_run_together,
)
from revisewise.practice.generation.sources import Candidate, Source, UnitContent

_CRITERION_LEAD_IN = re.compile(
    r"^(?:[^,]*,\s*)?(?:award credit for|credit should be given for|credit is awarded for|"
    r"assessors (?:should|must) look for(?: evidence of)?|expect evidence of|"
    r"assess the learner's ability to)\s+",
    re.IGNORECASE,
)
_WHEN_CLAUSE = re.compile(
    r"^When (?P<when>.+?) (?P<verb>take|use|consider|review|check|apply|ensure) (?P<rest>.+)$"
)


@dataclass(frozen=True)
class Objective:
    source: Source
    index: int
    text: str


def objectives_of(content: UnitContent) -> list[Objective]:
    """Return the unit's objectives, split where a page ran several together."""
    found = []
    for source in content.of_kind("objective"):
        for index, piece in enumerate(split_run_together(source.text or source.name)):
            found.append(Objective(source, index, piece))
    return found


def closest(text: str, objectives: list[Objective]) -> Objective | None:
    """Return the objective sharing most content words with `text`; None if none shares any."""
    best, best_score = None, 0.0
    for objective in objectives:
        score = overlap(text, objective.text)
        if score > best_score:
            best, best_score = objective, score
    return best


def exam_question(objective: str) -> str:
    """Phrase an objective as an exam question ("Understand how to X" -> "Explain how to X.")."""
    text = objective.strip().rstrip(".")
    if match := re.match(r"^Understand and (.+)$", text):
        return ensure_full_stop(sentence_case(match[1]))
    if match := re.match(r"^Understand the measurement of (.+)$", text):
        return f"Explain how {match[1]} is measured and how the results are used."
    if match := re.match(r"^Understand (.+)$", text):
        rest = match[1]
        if len(rest.split()) <= 5 and not re.match(r"(how|why|what|the reasons)\b", rest):
            return f"Explain what is meant by {rest} and why it matters to an organisation."
        return ensure_full_stop(f"Explain {rest}")
    if match := re.match(r"^Be able to (.+)$", text):
        return ensure_full_stop(f"Describe how you would {match[1]}")
    if match := _WHEN_CLAUSE.match(text):
        return ensure_full_stop(
            f"Explain how, when {match['when']}, you would {match['verb']} {match['rest']}"
        )
    return ensure_full_stop(f"Explain how you would {lower_first(text)}")


def marking_point(criterion: str) -> str:
    return ensure_full_stop(sentence_case(_CRITERION_LEAD_IN.sub("", criterion.strip())))


def generate(content: UnitContent) -> list[Candidate]:
    objectives = objectives_of(content)
    criteria = content.of_kind("criterion")
    concepts = content.of_kind("concept")
    assigned: dict[int, list[Source]] = {position: [] for position in range(len(objectives))}
    for criterion in criteria:
        target = closest(criterion.text, objectives)
        if target is not None:
            assigned[objectives.index(target)].append(criterion)
    candidates = []
    for position, objective in enumerate(objectives):
        mine = assigned[position] or _best_criteria(objective, criteria)
        candidates.append(_written(objective, mine, concepts))
    return candidates


def _best_criteria(objective: Objective, criteria: list[Source]) -> list[Source]:
    ranked = sorted(criteria, key=lambda source: -overlap(source.text, objective.text))
    return ranked[:1]


def _written(objective: Objective, criteria: list[Source], concepts: list[Source]) -> Candidate:
    points = [marking_point(source.text) for source in criteria]
    relevant = sorted(
        concepts, key=lambda source: -overlap(source.sentence, " ".join([objective.text, *points]))
    )[:2]
    covered = "; ".join(lower_first(point.rstrip(".")) for point in points)
    background = " ".join(f"{source.name}: {ensure_full_stop(source.text)}" for source in relevant)
    model_answer = (
        f"A strong answer, illustrated with workplace examples, covers {covered}. "
        f"Relevant content from this unit: {background}"
    ).strip()
    return Candidate(
        rule="objective-written",
        source=objective.source,
        variant=str(objective.index),
        item_type="written",
        stem=exam_question(objective.text),
        payload={"marking_points": points, "model_answer": model_answer},
        explanation="Assessors credit: " + " ".join(points),
        objective_pk=objective.source.pk,
        source_sentence=objective.text,
    )
