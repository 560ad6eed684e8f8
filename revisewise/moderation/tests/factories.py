"""Written answers and machine marks made directly, in the shape `marking.services` stores."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import factory
from django.utils import timezone

from revisewise.accounts.models import Role, User
from revisewise.accounts.tests.factories import MembershipFactory, UserFactory
from revisewise.marking.models import MachineMark, MarkFlag, MarkingStatus, WrittenAnswer
from revisewise.marking.types import Evidence, Misconception, MisconceptionShown, PointVerdict
from revisewise.marking.types import MarkResult as EngineResult
from revisewise.practice.models import Attempt, ItemType, PracticeSession, SessionScope
from revisewise.practice.tests.factories import ItemFactory

POINTS = (
    "Acknowledges the customer's frustration.",
    "Apologises sincerely and personally.",
    "Explains the next steps clearly.",
)
ANSWER = (
    "I would listen and acknowledge how frustrated the customer feels. "
    "Then I would say sorry in my own words and explain what happens next."
)


class WrittenItemFactory(ItemFactory):
    item_type = ItemType.WRITTEN
    stem = "Explain how you would de-escalate an angry customer."
    payload = factory.LazyFunction(
        lambda: {
            "marking_points": list(POINTS),
            "model_answer": "Acknowledge the frustration, apologise sincerely, explain next steps.",
        }
    )


class PracticeSessionFactory(factory.django.DjangoModelFactory[PracticeSession]):
    class Meta:
        model = PracticeSession

    learner = factory.SubFactory(UserFactory)
    scope = SessionScope.DUE
    started_at = factory.LazyFunction(timezone.now)


class AttemptFactory(factory.django.DjangoModelFactory[Attempt]):
    class Meta:
        model = Attempt

    session = factory.SubFactory(PracticeSessionFactory)
    learner = factory.SelfAttribute("session.learner")
    item = factory.SubFactory(WrittenItemFactory)
    position = factory.Sequence(lambda n: n)
    response = factory.LazyAttribute(lambda o: {"text": ANSWER})
    client_token = factory.Sequence(lambda n: f"token-{n}")


class WrittenAnswerFactory(factory.django.DjangoModelFactory[WrittenAnswer]):
    class Meta:
        model = WrittenAnswer

    attempt = factory.SubFactory(AttemptFactory)
    learner = factory.SelfAttribute("attempt.learner")
    item = factory.SelfAttribute("attempt.item")
    text = ANSWER
    status = MarkingStatus.MARKED
    marked_at = factory.LazyFunction(timezone.now)


def evidence_for(answer: str, phrase: str) -> Evidence | None:
    start = answer.find(phrase)
    return Evidence(start=start, end=start + len(phrase), text=phrase) if start >= 0 else None


def engine_result(
    *,
    answer: str = ANSWER,
    verdicts: tuple[str, ...] = ("met", "partly_met", "not_met"),
    points: tuple[str, ...] = POINTS,
    label: str = "partially_correct",
    score: float = 0.55,
    evidence: tuple[str | None, ...] = ("acknowledge how frustrated", "say sorry", None),
    misconception: tuple[str, str, str] | None = None,
) -> EngineResult:
    """Return a MarkResult as the engine would give it (evidence spans index into `answer`)."""
    pv = tuple(
        PointVerdict(
            point=p,
            verdict=v,  # type: ignore[arg-type]
            evidence=evidence_for(answer, e) if e else None,
            similarity=0.7 if v == "met" else 0.5 if v == "partly_met" else 0.2,
        )
        for p, v, e in zip(points, verdicts, evidence, strict=False)
    )
    shown: tuple[MisconceptionShown, ...] = ()
    if misconception:
        statement, correction, phrase = misconception
        shown = (
            MisconceptionShown(
                misconception=Misconception(statement=statement, correction=correction),
                evidence=evidence_for(answer, phrase),  # type: ignore[arg-type]
            ),
        )
    return EngineResult(
        label=label,  # type: ignore[arg-type]
        score=score,
        point_verdicts=pv,
        misconceptions_shown=shown,
        grade_band=None,
        feedback="\n".join(["You covered:", *(f"- {p}" for p in points[:1])]),
        flags=(),
        engine_name="revisewise-feature-marker",
        engine_version="1.0.0",
    )


def result_json(
    result: EngineResult, *, question: str = "", model_answer: str = ""
) -> dict[str, Any]:
    """Store a MarkResult as `marking.services.mark_result_as_json` does: `asdict` of the
    result, lists for tuples, plus the request it was marked against."""
    data = json.loads(json.dumps(dataclasses.asdict(result)))
    data["request"] = {
        "question": question,
        "marking_points": [v.point for v in result.point_verdicts],
        "reference_answers": [],
        "pass_criteria": [v.point for v in result.point_verdicts],
        "distinction_criteria": [],
        "guidance": [],
        "model_answer": model_answer or None,
        "misconceptions": [
            dataclasses.asdict(m.misconception) for m in result.misconceptions_shown
        ],
    }
    return data


class MachineMarkFactory(factory.django.DjangoModelFactory[MachineMark]):
    class Meta:
        model = MachineMark
        exclude = ("engine",)

    answer = factory.SubFactory(WrittenAnswerFactory)
    engine = factory.LazyAttribute(lambda o: engine_result(answer=o.answer.text))
    engine_name = factory.LazyAttribute(lambda o: o.engine.engine_name)
    engine_version = factory.LazyAttribute(lambda o: o.engine.engine_version)
    label = factory.LazyAttribute(lambda o: o.engine.label)
    score = factory.LazyAttribute(lambda o: o.engine.score)
    grade_band = ""
    result = factory.LazyAttribute(
        lambda o: result_json(
            o.engine,
            question=o.answer.item.stem,
            model_answer=str(o.answer.item.payload.get("model_answer") or ""),
        )
    )


class MarkFlagFactory(factory.django.DjangoModelFactory[MarkFlag]):
    class Meta:
        model = MarkFlag

    mark = factory.SubFactory(MachineMarkFactory)
    learner = factory.SelfAttribute("mark.answer.learner")
    reason = "I did explain the next steps."


def learner_in(cohort: Any) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user


def tutor_of(cohort: Any) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user


def mark_for(learner: User, **engine: Any) -> MachineMark:
    """Return a machine mark on a new written answer by `learner`."""
    answer = WrittenAnswerFactory.create(
        attempt__session__learner=learner, text=engine.get("answer", ANSWER)
    )
    return MachineMarkFactory.create(answer=answer, engine=engine_result(**engine))
