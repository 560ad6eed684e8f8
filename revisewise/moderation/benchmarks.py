"""Synthetic written answers, marks, flags, moderations and tutors' marks for the moderation
benchmark.

Built with bulk inserts on top of the dashboard's synthetic cohort; the rows are valid but do
not go through the services (no audit events, no FSRS reviews): benchmarks and tests only.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from revisewise.centres.benchmarks import SyntheticCohort, synthetic_cohort_build
from revisewise.marking.models import (
    MachineMark,
    MarkFlag,
    MarkingStatus,
    Moderation,
    ModerationDecision,
    PersonMark,
    WrittenAnswer,
)
from revisewise.moderation.services import VERDICTS, mark_derive
from revisewise.practice.models import Attempt, Item, ItemStatus, ItemType, PracticeSession

POINTS = (
    "Acknowledges the customer's frustration.",
    "Apologises sincerely.",
    "Explains the next steps.",
)
ANSWER = "I would acknowledge the frustration, apologise and explain what happens next."


@dataclass(frozen=True)
class SyntheticModeration:
    cohort: SyntheticCohort
    answers: int
    moderated: int
    flagged: int
    person_marked: int = 0
    revised: int = 0


def _result(verdicts: list[str]) -> dict[str, object]:
    return {
        "label": "partially_correct",
        "score": 0.5,
        "point_verdicts": [
            {"point": p, "verdict": v, "evidence": None, "similarity": 0.5}
            for p, v in zip(POINTS, verdicts, strict=True)
        ],
        "misconceptions_shown": [],
        "grade_band": None,
        "feedback": "",
        "flags": [],
        "engine_name": "benchmark",
        "engine_version": "0",
    }


@transaction.atomic
def synthetic_moderation_build(
    *,
    learners: int,
    answers_per_learner: int,
    now: datetime,
    seed: int = 7,
    person_marked_per_learner: int = 0,
) -> SyntheticModeration:
    """Create a cohort whose learners each wrote answers, with marks, some moderated or flagged.

    Each learner also has `person_marked_per_learner` answers the engine gave up on, marked by
    the tutor; about a third of those marks are revised once.
    """
    rng = random.Random(seed)
    synthetic = synthetic_cohort_build(learners=learners, objectives=1, now=now)
    qualification = synthetic.cohort.qualification
    assert qualification is not None
    unit_id = Item.objects.filter(qualification=qualification).values_list("unit_id", flat=True)[0]
    item = Item.objects.create(
        qualification=qualification,
        unit_id=unit_id,
        item_type=ItemType.WRITTEN,
        stem="Explain how you would de-escalate an angry customer.",
        payload={"marking_points": list(POINTS), "model_answer": ANSWER},
        source_key=f"bench-written-{secrets.token_hex(4)}",
        status=ItemStatus.AUTO_APPROVED,
    )
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(learner_id=pk, scope="due", started_at=now, item_order=[str(item.uuid)])
        for pk in synthetic.learner_ids
    )
    answers = _answers(
        sessions,
        item,
        first_position=0,
        per_learner=answers_per_learner,
        token="bench",
        status=MarkingStatus.MARKED,
        now=now,
    )
    machine = {a.pk: [rng.choice(VERDICTS) for _ in POINTS] for a in answers}
    marks = MachineMark.objects.bulk_create(
        (
            MachineMark(
                answer=a,
                engine_name="benchmark",
                engine_version="0",
                label="partially_correct",
                score=0.5,
                result=_result(machine[a.pk]),
            )
            for a in answers
        ),
        batch_size=2000,
    )
    moderations = [_moderation(rng, m, machine[m.answer_id], synthetic) for m in marks]
    chosen = [m for m in moderations if m is not None]
    Moderation.objects.bulk_create(chosen, batch_size=2000)
    flags = [
        MarkFlag(mark=m, learner_id=m.answer.learner_id, reason="I covered that point.")
        for m in marks
        if rng.random() < 0.05
    ]
    MarkFlag.objects.bulk_create(flags, batch_size=2000)
    person_marked, revised = _person_marked(
        rng,
        sessions,
        item,
        synthetic,
        first_position=answers_per_learner,
        per_learner=person_marked_per_learner,
        now=now,
    )
    return SyntheticModeration(
        cohort=synthetic,
        answers=len(answers),
        moderated=len(chosen),
        flagged=len(flags),
        person_marked=person_marked,
        revised=revised,
    )


def _person_mark(rng: random.Random, answer_id: int, synthetic: SyntheticCohort) -> PersonMark:
    verdicts = [rng.choice(VERDICTS) for _ in POINTS]
    derived = mark_derive(verdicts=verdicts, misconception_shown=False)
    return PersonMark(
        answer_id=answer_id,
        tutor=synthetic.tutor,
        point_verdicts=[
            {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=True)
        ],
        label=derived.label,
        score=derived.score,
    )


def _answers(
    sessions: list[PracticeSession],
    item: Item,
    *,
    first_position: int,
    per_learner: int,
    token: str,
    status: str,
    now: datetime,
    marking_attempts: int = 0,
) -> list[WrittenAnswer]:
    """Add `per_learner` attempts with written answers per session, in the given status."""
    attempts = Attempt.objects.bulk_create(
        (
            Attempt(
                session=session,
                learner_id=session.learner_id,
                item=item,
                position=first_position + n,
                response=ANSWER,
                client_token=f"{token}-{n}",
            )
            for session in sessions
            for n in range(per_learner)
        ),
        batch_size=2000,
    )
    return WrittenAnswer.objects.bulk_create(
        (
            WrittenAnswer(
                attempt=a,
                learner_id=a.learner_id,
                item=item,
                text=ANSWER,
                status=status,
                marked_at=now,
                marking_attempts=marking_attempts,
            )
            for a in attempts
        ),
        batch_size=2000,
    )


def _person_marked(
    rng: random.Random,
    sessions: list[PracticeSession],
    item: Item,
    synthetic: SyntheticCohort,
    *,
    first_position: int,
    per_learner: int,
    now: datetime,
) -> tuple[int, int]:
    """Add answers marked by the tutor (a third revised once); return how many of each."""
    answers = _answers(
        sessions,
        item,
        first_position=first_position,
        per_learner=per_learner,
        token="bench-person",
        status=MarkingStatus.MARKED_BY_PERSON,
        now=now,
        marking_attempts=3,
    )
    firsts = PersonMark.objects.bulk_create(
        (_person_mark(rng, a.pk, synthetic) for a in answers), batch_size=2000
    )
    revisions = []
    for first in firsts:
        if rng.random() < 1 / 3:
            revision = _person_mark(rng, first.answer_id, synthetic)
            revision.revises = first
            revisions.append(revision)
    PersonMark.objects.bulk_create(revisions, batch_size=2000)
    return len(answers), len(revisions)


def _moderation(
    rng: random.Random,
    mark: MachineMark,
    machine: list[str],
    synthetic: SyntheticCohort,
) -> Moderation | None:
    if rng.random() >= 0.4:
        return None
    tutor = [v if rng.random() < 0.75 else rng.choice(VERDICTS) for v in machine]
    derived = mark_derive(verdicts=tutor, misconception_shown=False)
    same = tutor == machine
    return Moderation(
        mark=mark,
        tutor=synthetic.tutor,
        decision=ModerationDecision.CONFIRMED if same else ModerationDecision.OVERRIDDEN,
        point_verdicts=[
            {"point": p, "machine": m, "tutor": t, "comment": ""}
            for p, m, t in zip(POINTS, machine, tutor, strict=True)
        ],
        label=mark.label if same else derived.label,
        score=mark.score if same else derived.score,
    )
