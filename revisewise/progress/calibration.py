"""Check the readiness model's calibration on simulated learners whose true skill is known.

Pure Python, seeded, no ORM. Each simulated learner has a true recall probability per question
(ability + objective + question effects on the logit scale). Their practice shows up as the
scheduler would report it: per objective, the questions practised, their reviews, and a mastery
reading per practised question that is the true recall plus noise shrinking with reviews. Mocks
and the real test are drawn from the true skill (four-option questions can be guessed; a sitting
shifts the whole day up or down). The model predicts from the practice and mocks only; the
simulated real test then says what happened. See docs/readiness.md for what this can and cannot
show.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from revisewise.progress.readiness import (
    MASTERY_ONLY,
    MASTERY_ONLY_DISTINCTION,
    MASTERY_ONLY_PASS,
    Boundaries,
    MockEvidence,
    ObjectiveEvidence,
    ReadinessModel,
    readiness_predict,
)

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SimulationSettings:
    learners: int = 2000
    seed: int = 20261124
    objectives: int = 6
    items_min: int = 4
    items_max: int = 10
    # Logit-scale spread of learners' ability, of objectives within a learner, of questions.
    # Ability is the learner's knowledge WITHOUT practice (recall of a question never practised).
    ability_sd: float = 0.9
    objective_sd: float = 0.7
    item_sd: float = 0.5
    ability_mean: float = -0.3
    # The sd of one practised question's mastery reading after one review (falls as 1/sqrt(n)).
    mastery_noise: float = 0.3
    # Practising a question raises its recall by this many logits, give or take `gain_sd` from
    # learner to learner: questions never practised are known only at the learner's ability.
    practice_gain: float = 1.8
    gain_sd: float = 1.0
    mean_reviews: float = 2.0
    max_mocks: int = 3
    # Logit-scale shift of a whole sitting (a good or bad day), for mocks and the real test.
    sitting_sd: float = 0.2
    knowledge_test: bool = True
    question_count: int = 50
    pass_marks: int = 30
    distinction_marks: int = 40
    guess_rate: float = 0.25


@dataclass(frozen=True)
class Outcome:
    p_pass: float
    passed: bool
    p_distinction: float
    distinction: bool


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    mean_predicted: float
    observed: float


@dataclass(frozen=True)
class Calibration:
    bins: list[Bin]
    brier: float
    ece: float
    count: int
    base_rate: float


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means used here.
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


@dataclass(frozen=True)
class _Learner:
    logits: list[list[float]]  # per objective, per question
    practised: set[tuple[int, int]] = field(default_factory=set)

    def recall(self, objective: int, item: int, shift: float = 0.0) -> float:
        return _sigmoid(self.logits[objective][item] + shift)


def _learner(rng: random.Random, sizes: list[int], s: SimulationSettings) -> _Learner:
    ability = rng.gauss(s.ability_mean, s.ability_sd)
    logits = []
    for size in sizes:
        objective = ability + rng.gauss(0.0, s.objective_sd)
        logits.append([objective + rng.gauss(0.0, s.item_sd) for _ in range(size)])
    return _Learner(logits=logits)


def _practice(
    rng: random.Random, learner: _Learner, sizes: list[int], s: SimulationSettings
) -> list[ObjectiveEvidence]:
    coverage = rng.random()
    gain = rng.gauss(s.practice_gain, s.gain_sd)
    evidence = []
    for o, size in enumerate(sizes):
        total, seen, reviews = 0.0, 0, 0
        for i in range(size):
            if rng.random() >= coverage:
                continue
            # Practice changes the learner: this question is now known better than unpractised ones.
            learner.logits[o][i] += gain
            learner.practised.add((o, i))
            count = 1 + _poisson(rng, s.mean_reviews - 1.0)
            noise = rng.gauss(0.0, s.mastery_noise / math.sqrt(count))
            total += min(1.0, max(0.0, learner.recall(o, i) + noise))
            seen += 1
            reviews += count
        evidence.append(
            ObjectiveEvidence(
                key=o,
                label=f"Objective {o + 1}",
                mastery=total / size,
                items=size,
                seen_items=seen,
                reviews=reviews,
            )
        )
    return evidence


def _sitting(rng: random.Random, learner: _Learner, sizes: list[int], s: SimulationSettings) -> int:
    """Return the marks of one sitting of the test, questions drawn by the bank's weights."""
    shift = rng.gauss(0.0, s.sitting_sd)
    objectives = list(range(len(sizes)))
    marks = 0
    for _ in range(s.question_count):
        o = rng.choices(objectives, weights=sizes)[0]
        i = rng.randrange(sizes[o])
        p = s.guess_rate + (1.0 - s.guess_rate) * learner.recall(o, i, shift)
        marks += rng.random() < p
    return marks


def _true_recall(learner: _Learner, sizes: list[int]) -> float:
    total = sum(sizes)
    return sum(
        sum(learner.recall(o, i) for i in range(size)) / total for o, size in enumerate(sizes)
    )


def boundaries_for(s: SimulationSettings) -> Boundaries:
    if not s.knowledge_test:
        return MASTERY_ONLY
    return Boundaries(
        has_knowledge_test=True,
        question_count=s.question_count,
        pass_marks=s.pass_marks,
        distinction_marks=s.distinction_marks,
        guess_rate=s.guess_rate,
        source="simulation",
    )


def simulate(s: SimulationSettings, model: ReadinessModel) -> list[Outcome]:
    """Return each simulated learner's predicted probabilities and what really happened."""
    rng = random.Random(s.seed)
    boundaries = boundaries_for(s)
    outcomes = []
    for _ in range(s.learners):
        sizes = [rng.randint(s.items_min, s.items_max) for _ in range(s.objectives)]
        learner = _learner(rng, sizes, s)
        objectives = _practice(rng, learner, sizes, s)
        mocks = []
        if s.knowledge_test:
            for n in range(rng.randint(0, s.max_mocks)):
                percent = 100.0 * _sitting(rng, learner, sizes, s) / s.question_count
                mocks.append(MockEvidence(percent=percent, finished_at=START + timedelta(days=n)))
        prediction = readiness_predict(
            objectives=objectives, mocks=mocks, boundaries=boundaries, model=model
        )
        if s.knowledge_test:
            marks = _sitting(rng, learner, sizes, s)
            passed, distinction = marks >= s.pass_marks, marks >= s.distinction_marks
        else:
            truth = _true_recall(learner, sizes)
            passed, distinction = truth >= MASTERY_ONLY_PASS, truth >= MASTERY_ONLY_DISTINCTION
        outcomes.append(
            Outcome(
                p_pass=prediction.p_pass,
                passed=passed,
                p_distinction=prediction.p_distinction or 0.0,
                distinction=distinction,
            )
        )
    return outcomes


def calibration(pairs: list[tuple[float, bool]], *, bins: int = 10) -> Calibration:
    """Return the reliability table (equal-width bins), Brier score and expected calibration
    error (the count-weighted mean gap between predicted and observed frequency)."""
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, happened in pairs:
        grouped[min(bins - 1, int(p * bins))].append((p, happened))
    table, gap = [], 0.0
    for index, members in enumerate(grouped):
        count = len(members)
        mean = sum(p for p, _ in members) / count if count else 0.0
        observed = sum(1 for _, h in members if h) / count if count else 0.0
        table.append(Bin(index / bins, (index + 1) / bins, count, mean, observed))
        gap += count * abs(mean - observed)
    n = len(pairs)
    brier = sum((p - float(h)) ** 2 for p, h in pairs) / n if n else 0.0
    base = sum(1 for _, h in pairs if h) / n if n else 0.0
    return Calibration(bins=table, brier=brier, ece=gap / n if n else 0.0, count=n, base_rate=base)
