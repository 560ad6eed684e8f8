"""Learning objectives and assessment criteria: written exam questions marked against criteria.

Also maps any item to the objective it practises, by content-word overlap (deterministic).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from revisewise.practice.generation.normalise import (
    content_words,
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
    concepts = content.of_kind("concept")
    assigned = assign_criteria(content, objectives)
    # An objective with no criterion of its own gets no written item: another objective's
    # criterion would mark learners against something the question does not ask.
    return [
        _written(objective, mine, concepts)
        for objective, mine in zip(objectives, assigned, strict=True)
        if mine
    ]


def assign_criteria(content: UnitContent, objectives: list[Objective]) -> list[list[Source]]:
    """Return each objective's own assessment criteria, in page order.

    The pages list criteria in the order of the objectives they assess (one or more each), so
    the unit's criteria are cut into contiguous runs, one per objective, choosing the cut that
    shares most *distinctive* words (words few of the unit's objectives use, so "customer" counts
    for little and "retention" for a lot) between each criterion and its objective. Plain word
    overlap alone sent a criterion to a neighbour that shared one word ("authority limits",
    "customer retention"). With fewer criteria than objectives each criterion goes to a different
    objective, in order, and the rest get none. Qualification-wide criteria (no unit) are not
    any one objective's and are left out. Deterministic: ties keep the earliest cut.
    """
    criteria = [c for c in content.of_kind("criterion") if c.unit_id == content.unit_id]
    runs = criteria_runs([c.text for c in criteria], [o.text for o in objectives])
    return [[criteria[i] for i in run] for run in runs]


def criteria_runs(criteria: list[str], objectives: list[str]) -> list[list[int]]:
    """Return, per objective (in order), the indices of its criteria: `assign_criteria`'s rule
    on plain texts in page order, for any feature that marks against an objective's criteria."""
    if not objectives:
        return []
    weights = _distinctiveness(objectives)
    affinity = [[_affinity(c, o, weights) for o in objectives] for c in criteria]
    if len(criteria) >= len(objectives):
        return _contiguous_runs(affinity, len(objectives))
    return _in_order_matches(affinity, len(objectives))


def _distinctiveness(texts: list[str]) -> dict[str, float]:
    """Weight each content word by how few of `texts` use it (inverse document frequency)."""
    documents = [content_words(text) for text in texts]
    counts = Counter(word for words in documents for word in words)
    return {word: math.log((1 + len(texts)) / count) for word, count in counts.items()}


def _affinity(criterion: str, objective: str, weights: dict[str, float]) -> float:
    shared = content_words(criterion) & content_words(objective)
    return sum(weights.get(word, 0.0) for word in shared)


def _contiguous_runs(affinity: list[list[float]], parts: int) -> list[list[int]]:
    """Cut rows 0..n-1 into `parts` non-empty runs in order, maximising the summed affinity."""
    n = len(affinity)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    for j in range(1, parts + 1):
        for i in range(j, n - (parts - j) + 1):
            options = [
                (best[(k, j - 1)][0] + sum(affinity[r][j - 1] for r in range(k, i)), k)
                for k in range(j - 1, i)
                if (k, j - 1) in best
            ]
            best[(i, j)] = max(options, key=lambda option: (option[0], -option[1]))
    runs: list[list[int]] = []
    end = n
    for j in range(parts, 0, -1):
        start = best[(end, j)][1]
        runs.append(list(range(start, end)))
        end = start
    return runs[::-1]


def _in_order_matches(affinity: list[list[float]], parts: int) -> list[list[int]]:
    """Match each row to a different column, in order, maximising the summed affinity."""
    n = len(affinity)
    # best[(i, j)]: the best score placing rows i.. in columns j.., and where row i goes.
    best: dict[tuple[int, int], float] = {}
    for i in range(n, -1, -1):
        for j in range(parts, -1, -1):
            if i == n:
                best[(i, j)] = 0.0
            elif parts - j < n - i:
                best[(i, j)] = -math.inf
            else:
                take = affinity[i][j] + best[(i + 1, j + 1)]
                best[(i, j)] = max(take, best.get((i, j + 1), -math.inf))
    runs: list[list[int]] = [[] for _ in range(parts)]
    i = j = 0
    while i < n:
        if affinity[i][j] + best[(i + 1, j + 1)] >= best.get((i, j + 1), -math.inf):
            runs[j].append(i)
            i += 1
        j += 1
    return runs


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
