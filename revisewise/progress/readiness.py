"""Readiness: a predicted grade with P(pass) and P(distinction), from mastery and mock results.

Pure Python, no ORM; `progress.selectors` gathers the evidence. The model (docs/readiness.md):

1. Each practised learning objective's recall probability r_o gets a Beta posterior: a prior
   centred on the learner's typical objective (their review-weighted mastery over everything
   practised) with strength `prior_strength`, updated by the mean mastery of the objective's
   practised questions as if each review were `evidence_per_review` right/wrong answers, and
   widened by `between_sd` for the share of its questions not practised. Questions not
   practised are not assumed revised: the learner's knowledge without practice is a "not
   revised" prior updated by their typical practised recall minus the gain from practice
   (`_unpractised`), give or take `between_sd` each; its error is shared by all of them.
2. The test's recall is the question-weighted mean R = sum w_o r_o (w_o: the objective's share
   of the question bank); its variance is sum w_o^2 var(r_o). A four-option question can be
   guessed, so the chance of a right answer is p = g + (1 - g) R with g = 1/4 (g = 0 otherwise).
3. Mock results are direct readings of p with binomial noise over the test's length plus
   `sitting_sd` (a learner's day-to-day swing); the newest `max_mocks` are combined with the
   mastery estimate by precision weighting (normal approximation), so more mocks weigh more.
4. The real test's mark X out of Q has mean Q p and variance Q^2 var(p) + Q p (1 - p) + Q^2
   sitting_sd^2; P(pass) = P(X >= pass mark) by the normal approximation with a continuity
   correction, likewise for distinction. The predicted grade is the highest grade the learner
   is more likely than not to reach.
5. Without a knowledge test, readiness is about mastery only: P(R >= 0.6) for "pass" and
   P(R >= 0.8) for "distinction", Revisewise's own thresholds (not any assessment plan's).

The reasons are the objectives holding the prediction down: the lowest mastery first (ties:
the larger share of the test first), at most three.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

MASTERY_ONLY_PASS = 0.6
MASTERY_ONLY_DISTINCTION = 0.8
FOUR_OPTION_GUESS = 0.25
REASON_COUNT = 3


@dataclass(frozen=True)
class ObjectiveEvidence:
    """One objective's mastery as the scheduler reports it (unseen questions count as 0)."""

    key: Hashable
    label: str
    mastery: float
    items: int
    seen_items: int
    reviews: int

    @cached_property
    def practised_mastery(self) -> float | None:
        """Return the mean mastery of the questions practised, or None when none were."""
        if self.seen_items <= 0 or self.items <= 0:
            return None
        return min(1.0, self.mastery * self.items / self.seen_items)


@dataclass(frozen=True)
class MockEvidence:
    percent: float
    finished_at: datetime


@dataclass(frozen=True)
class Boundaries:
    """The marks that earn each grade on the knowledge test, or thresholds on mastery."""

    has_knowledge_test: bool
    question_count: int
    pass_marks: int
    distinction_marks: int | None
    guess_rate: float
    source: str
    pass_grade: str = "Pass"
    distinction_grade: str = "Distinction"
    fail_grade: str = "Fail"


MASTERY_ONLY = Boundaries(
    has_knowledge_test=False,
    question_count=0,
    pass_marks=0,
    distinction_marks=None,
    guess_rate=0.0,
    source="Revisewise thresholds on mastery: 60% for pass, 80% for distinction",
)


@dataclass(frozen=True)
class ReadinessModel:
    """The model's settings, tuned on simulated learners (`manage.py calibrate_readiness`)."""

    prior_mean: float = 0.5
    prior_strength: float = 0.5
    evidence_per_review: float = 2.5
    sitting_sd: float = 0.03
    # The spread of recall between a learner's objectives (and between questions not practised).
    between_sd: float = 0.2
    # Questions not practised: practice raises recall by `practice_gain` logits (give or take
    # `gain_sd` from learner to learner), so the learner's knowledge without practice is read
    # from their practised recall minus the gain, shrunk towards what a learner who has not
    # revised recalls (`unrevised_recall`, give or take `unrevised_sd` logits). The gain is read
    # on the logit of mean recall, where it is smaller than per question (calibrated: 0.8).
    practice_gain: float = 0.8
    gain_sd: float = 1.0
    unrevised_recall: float = 0.43
    unrevised_sd: float = 0.9
    max_mocks: int = 5


DEFAULT_MODEL = ReadinessModel()


@dataclass(frozen=True)
class Reason:
    key: Hashable
    label: str
    mastery: float
    weight: float

    @property
    def mastery_percent(self) -> int:
        return round(self.mastery * 100)


@dataclass(frozen=True)
class Readiness:
    grade: str
    p_pass: float
    p_distinction: float | None
    # The expected share of marks (knowledge test) or of recall (mastery only), 0 to 1.
    expected: float
    sd: float
    mock_count: int
    reviews: int
    reasons: tuple[Reason, ...]
    boundaries: Boundaries
    questions: int = 0
    practised_questions: int = 0

    @property
    def is_thin(self) -> bool:
        """Say whether under a fifth of the questions have been practised."""
        return self.practised_questions < 0.2 * self.questions

    @property
    def p_pass_text(self) -> str:
        return probability_text(self.p_pass)

    @property
    def p_distinction_text(self) -> str:
        return "" if self.p_distinction is None else probability_text(self.p_distinction)

    @property
    def is_mastery_only(self) -> bool:
        return not self.boundaries.has_knowledge_test

    @property
    def has_evidence(self) -> bool:
        return self.reviews > 0 or self.mock_count > 0

    @property
    def is_predictable(self) -> bool:
        """Say whether to show a grade: a mock, or at least a fifth of the questions practised.

        With less, the model's guess about the questions not practised decides the grade (three
        right answers could read as a distinction), so the pages show the coverage instead.
        """
        return self.mock_count > 0 or (self.has_evidence and not self.is_thin)


def probability_text(p: float) -> str:
    """Return a probability as a whole percentage, never claiming certainty."""
    if p < 0.01:
        return "under 1%"
    if p > 0.99:
        return "over 99%"
    return f"{round(p * 100)}%"


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _logit(p: float) -> float:
    p = min(0.999, max(0.001, p))
    return math.log(p / (1.0 - p))


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _pooled(objectives: Sequence[ObjectiveEvidence], model: ReadinessModel) -> tuple[float, float]:
    """Return the learner's typical objective recall (review-weighted over what they practised)
    and the variance of that estimate: the prior's when nothing is practised, else the spread
    between objectives over the number of objectives practised."""
    practised = [o for o in objectives if o.practised_mastery is not None and o.reviews > 0]
    if not practised:
        prior_variance = model.prior_mean * (1 - model.prior_mean) / (model.prior_strength + 1)
        return model.prior_mean, prior_variance
    reviews = sum(o.reviews for o in practised)
    total = sum(o.reviews * (o.practised_mastery or 0.0) for o in practised)
    mean = min(0.98, max(0.02, total / reviews))
    return mean, model.between_sd**2 / len(practised)


def _objective_posterior(
    objective: ObjectiveEvidence, model: ReadinessModel, prior_mean: float
) -> tuple[float, float]:
    """Return the mean and variance of the objective's recall probability."""
    alpha = prior_mean * model.prior_strength
    beta = (1.0 - prior_mean) * model.prior_strength
    practised = objective.practised_mastery
    if practised is not None:
        trials = model.evidence_per_review * objective.reviews
        alpha += trials * practised
        beta += trials * (1.0 - practised)
    total = alpha + beta
    mean = alpha / total
    return mean, mean * (1.0 - mean) / (total + 1.0)


def _weights(objectives: Sequence[ObjectiveEvidence]) -> list[float]:
    counts = [max(o.items, 0) for o in objectives]
    total = sum(counts)
    if total == 0:
        return [1.0 / len(objectives)] * len(objectives)
    return [count / total for count in counts]


def _unpractised(
    objectives: Sequence[ObjectiveEvidence],
    model: ReadinessModel,
    typical: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Return the mean recall of a question not practised and the variance of that estimate
    (an error shared by every question not practised).

    On the logit scale, the learner's knowledge without practice b has the prior "not revised"
    N(logit(unrevised_recall), unrevised_sd^2); their practised recall reads b + practice_gain
    with the gain's spread and the pooled estimate's own error; the two are combined by
    precision. Little practice (or a gain that may be large) leaves b near the prior.
    """
    prior_logit = _logit(model.unrevised_recall)
    prior_precision = 1.0 / model.unrevised_sd**2
    precision, weighted = prior_precision, prior_logit * prior_precision
    if any(o.practised_mastery is not None and o.reviews > 0 for o in objectives):
        pooled, pooled_variance = typical or _pooled(objectives, model)
        reading_variance = pooled_variance / (pooled * (1 - pooled)) ** 2 + model.gain_sd**2
        precision += 1.0 / reading_variance
        weighted += (_logit(pooled) - model.practice_gain) / reading_variance
    mean = _sigmoid(weighted / precision)
    return mean, (mean * (1 - mean)) ** 2 / precision


def _recall(objectives: Sequence[ObjectiveEvidence], model: ReadinessModel) -> tuple[float, float]:
    """Return the mean and variance of the question-weighted recall R.

    Questions practised: each objective's posterior. Questions not practised: `_unpractised`
    give or take `between_sd`, with the error of its estimate shared by all of them.
    """
    typical = _pooled(objectives, model)
    unpractised_mean, shared_variance = _unpractised(objectives, model, typical)
    if not objectives:
        return unpractised_mean, shared_variance
    pooled = typical[0]
    mean, variance, unpractised = 0.0, 0.0, 0.0
    for weight, objective in zip(_weights(objectives), objectives, strict=True):
        seen = 0.0
        if objective.practised_mastery is not None and objective.reviews > 0:
            seen = objective.seen_items / objective.items
            m, v = _objective_posterior(objective, model, pooled)
            mean += weight * seen * m
            variance += (weight * seen) ** 2 * v
        mean += weight * (1.0 - seen) * unpractised_mean
        variance += (weight * (1.0 - seen) * model.between_sd) ** 2
        unpractised += weight * (1.0 - seen)
    return mean, variance + unpractised**2 * shared_variance


def _with_mocks(
    mean: float,
    variance: float,
    mocks: Sequence[MockEvidence],
    question_count: int,
    model: ReadinessModel,
) -> tuple[float, float]:
    """Combine the mastery estimate of p with mock percentages, by precision."""
    recent = (
        sorted(mocks, key=lambda m: m.finished_at)[-model.max_mocks :] if model.max_mocks else []
    )
    precision = 1.0 / max(variance, 1e-9)
    weighted = mean * precision
    for mock in recent:
        observed = min(1.0, max(0.0, mock.percent / 100.0))
        noise = mean * (1.0 - mean) / question_count + model.sitting_sd**2
        weighted += observed / noise
        precision += 1.0 / noise
    return weighted / precision, 1.0 / precision


def _p_at_least(marks: int, mean: float, variance: float, question_count: int) -> float:
    """Return P(X >= marks) for a mark X out of `question_count` with this mean and variance."""
    sd = math.sqrt(max(variance, 1e-12)) * question_count
    return 1.0 - _phi((marks - 0.5 - question_count * mean) / sd)


def _reasons(objectives: Sequence[ObjectiveEvidence]) -> tuple[Reason, ...]:
    weighted = zip(_weights(objectives), objectives, strict=True) if objectives else []
    ranked = sorted(weighted, key=lambda pair: (pair[1].mastery, -pair[0], str(pair[1].key)))
    return tuple(
        Reason(key=o.key, label=o.label, mastery=o.mastery, weight=w)
        for w, o in ranked[:REASON_COUNT]
    )


def _grade(p_pass: float, p_distinction: float | None, boundaries: Boundaries) -> str:
    """Return the highest grade the learner is more likely than not to reach."""
    if p_distinction is not None and p_distinction >= 0.5:
        return boundaries.distinction_grade
    return boundaries.pass_grade if p_pass >= 0.5 else boundaries.fail_grade


def readiness_predict(
    *,
    objectives: Sequence[ObjectiveEvidence],
    mocks: Sequence[MockEvidence],
    boundaries: Boundaries,
    model: ReadinessModel = DEFAULT_MODEL,
) -> Readiness:
    """Return the predicted grade, P(pass) and P(distinction), and the objectives to work on."""
    recall_mean, recall_var = _recall(objectives, model)
    reviews = sum(o.reviews for o in objectives)
    if not boundaries.has_knowledge_test:
        sd = math.sqrt(recall_var)
        p_pass = 1.0 - _phi((MASTERY_ONLY_PASS - recall_mean) / sd)
        p_distinction: float | None = 1.0 - _phi((MASTERY_ONLY_DISTINCTION - recall_mean) / sd)
        return Readiness(
            grade=_grade(p_pass, p_distinction, boundaries),
            p_pass=p_pass,
            p_distinction=p_distinction,
            expected=recall_mean,
            sd=sd,
            mock_count=0,
            reviews=reviews,
            reasons=_reasons(objectives),
            boundaries=boundaries,
            questions=sum(o.items for o in objectives),
            practised_questions=sum(o.seen_items for o in objectives),
        )
    g, q = boundaries.guess_rate, boundaries.question_count
    mean = g + (1.0 - g) * recall_mean
    variance = (1.0 - g) ** 2 * recall_var
    mean, variance = _with_mocks(mean, variance, mocks, q, model)
    # The sitting itself: which questions come up, and the learner's day.
    exam_variance = variance + mean * (1.0 - mean) / q + model.sitting_sd**2
    p_pass = _p_at_least(boundaries.pass_marks, mean, exam_variance, q)
    p_distinction = (
        _p_at_least(boundaries.distinction_marks, mean, exam_variance, q)
        if boundaries.distinction_marks is not None
        else None
    )
    return Readiness(
        grade=_grade(p_pass, p_distinction, boundaries),
        p_pass=p_pass,
        p_distinction=p_distinction,
        expected=mean,
        sd=math.sqrt(exam_variance),
        mock_count=min(len(mocks), model.max_mocks),
        reviews=reviews,
        reasons=_reasons(objectives),
        boundaries=boundaries,
        questions=sum(o.items for o in objectives),
        practised_questions=sum(o.seen_items for o in objectives),
    )
