"""Reads of plans and mock tests, checking who may see them (404 otherwise)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404

from revisewise.accounts.selectors import user_is_tutor_of
from revisewise.epa.models import AssessmentPlan, MockAnswer, MockTest
from revisewise.practice.models import Item

if TYPE_CHECKING:
    from revisewise.accounts.models import User
    from revisewise.content.models import Qualification


@dataclass(frozen=True)
class MockScore:
    """One finished mock, for readiness: percentages are 0 to 100.

    `per_objective` maps a learning objective's uuid (as a string, `ContentItem.uuid`) to the
    percentage of that objective's questions answered correctly in this mock.
    """

    percent: float
    grade: str
    finished_at: datetime
    per_objective: dict[str, float]


@dataclass(frozen=True)
class QuestionReview:
    position: int
    item: Item
    answer: MockAnswer | None
    is_correct: bool
    # The right answer as text, and the learner's answer as text ("" when unanswered).
    expected: str
    given: str

    @property
    def number(self) -> int:
        return self.position + 1


@dataclass(frozen=True)
class QuestionView:
    """One question of a running mock as the learner sees it, with their saved answer."""

    position: int
    item: Item
    shown: dict[str, Any]
    chosen: list[str]

    @property
    def number(self) -> int:
        return self.position + 1


@dataclass(frozen=True)
class Breakdown:
    """Marks per unit or objective: `key` is its uuid, `label` its title or text."""

    key: str
    label: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.correct / self.total, 1) if self.total else 0.0


def qualifications_with_mock_tests() -> list[Qualification]:
    """Return the qualifications whose assessment plan has a knowledge test to rehearse."""
    from revisewise.content.models import Qualification
    from revisewise.epa.models import MethodKind

    return list(
        Qualification.objects.filter(
            assessment_plan__methods__kind=MethodKind.KNOWLEDGE_TEST
        ).order_by("title")
    )


def plan_get_for_qualification(*, qualification: Qualification) -> AssessmentPlan | None:
    """Return the qualification's plan with its methods and boundaries, or None."""
    return (
        AssessmentPlan.objects.filter(qualification=qualification)
        .prefetch_related("methods__boundaries")
        .first()
    )


def mock_get_for_learner(*, learner: User, mock_uuid: UUID) -> MockTest:
    """Return the learner's own mock, or raise Http404."""
    mock = (
        MockTest.objects.select_related("qualification", "method__plan")
        .filter(uuid=mock_uuid, learner=learner)
        .first()
    )
    if mock is None:
        raise Http404("No such mock test.")
    return mock


def mock_get_for_viewer(*, viewer: User, mock_uuid: UUID) -> MockTest:
    """Return a mock its learner or the learner's tutor may see, or raise Http404."""
    mock = (
        MockTest.objects.select_related("qualification", "method__plan", "learner")
        .filter(uuid=mock_uuid)
        .first()
    )
    if mock is None or not (
        mock.learner_id == viewer.pk or user_is_tutor_of(tutor=viewer, learner=mock.learner)
    ):
        raise Http404("No such mock test.")
    return mock


def mock_items(*, mock: MockTest) -> list[Item]:
    """Return the mock's items in their order, with unit and objective."""
    by_uuid = {
        str(item.uuid): item
        for item in Item.objects.select_related("unit__qualification", "objective").filter(
            uuid__in=mock.item_order
        )
    }
    return [by_uuid[key] for key in mock.item_order]


def mock_latest_answers(*, mock: MockTest) -> dict[int, MockAnswer]:
    """Return the latest counting answer per position (the one that is marked)."""
    latest: dict[int, MockAnswer] = {}
    for answer in MockAnswer.objects.filter(mock=mock, counts=True).order_by("created_at", "pk"):
        latest[answer.position] = answer
    return latest


def mock_review(*, mock: MockTest) -> list[QuestionReview]:
    """Return every question with the learner's marked answer (None when unanswered)."""
    answers = mock_latest_answers(mock=mock)
    review = []
    for position, item in enumerate(mock_items(mock=mock)):
        answer = answers.get(position)
        review.append(
            QuestionReview(
                position=position,
                item=item,
                answer=answer,
                is_correct=bool(answer and answer.is_correct),
                expected=item.grade(None).expected,
                given=_answer_text(item, answer.response) if answer else "",
            )
        )
    return review


def _answer_text(item: Item, response: Any) -> str:
    options = {o["id"]: o["text"] for o in item.payload.get("options", [])}
    if isinstance(response, list):
        return "; ".join(options.get(str(r), str(r)) for r in response)
    if item.item_type == "true_false":
        return "True" if str(response).lower() == "true" else "False"
    return options.get(str(response), str(response))


def mock_questions(*, mock: MockTest) -> list[QuestionView]:
    """Return the mock's questions as shown (never the key), each with the saved answer."""
    answers = mock_latest_answers(mock=mock)
    questions = []
    for position, item in enumerate(mock_items(mock=mock)):
        saved = answers[position].response if position in answers else None
        chosen = [str(r) for r in saved] if isinstance(saved, list) else []
        if saved is not None and not isinstance(saved, list):
            chosen = [str(saved)]
        questions.append(QuestionView(position, item, item.presentation(), chosen))
    return questions


def mock_breakdown(*, review: list[QuestionReview]) -> tuple[list[Breakdown], list[Breakdown]]:
    """Return marks per unit and per objective, objectives weakest first."""
    units: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    objectives: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels: dict[str, str] = {}
    for question in review:
        unit_key = str(question.item.unit.uuid)
        labels[unit_key] = question.item.unit.title
        units[unit_key][0] += int(question.is_correct)
        units[unit_key][1] += 1
        if question.item.objective is not None:
            key = str(question.item.objective.uuid)
            labels[key] = question.item.objective.text or question.item.objective.name
            objectives[key][0] += int(question.is_correct)
            objectives[key][1] += 1
    by_unit = [Breakdown(key, labels[key], c, t) for key, (c, t) in units.items()]
    by_objective = [Breakdown(key, labels[key], c, t) for key, (c, t) in objectives.items()]
    by_objective.sort(key=lambda row: (row.percent, row.label))
    return by_unit, by_objective


def mock_results_for(*, learner: User, qualification: Qualification) -> list[MockScore]:
    """Return the learner's finished mocks of a qualification, oldest first.

    Mocks past their deadline are finalised first, so a mock abandoned in a closed tab counts.
    Used by readiness (progress), which trusts the caller to have checked who is asking.
    """
    from revisewise.epa.services import mocks_finalise_overdue

    mocks_finalise_overdue(learner=learner)
    scores = []
    finished = MockTest.objects.filter(
        learner=learner, qualification=qualification, finished_at__isnull=False
    ).order_by("finished_at", "pk")
    for mock in finished:
        _, by_objective = mock_breakdown(review=mock_review(mock=mock))
        assert mock.finished_at is not None
        scores.append(
            MockScore(
                percent=mock.percent,
                grade=mock.grade,
                finished_at=mock.finished_at,
                per_objective={row.key: row.percent for row in by_objective},
            )
        )
    return scores


def mock_list_for_learner(*, learner: User, qualification: Qualification) -> list[MockTest]:
    """Return the learner's mocks of a qualification, newest first."""
    return list(
        MockTest.objects.filter(learner=learner, qualification=qualification).order_by(
            "-started_at", "-pk"
        )
    )


def mock_data_export_for_learner(*, learner: User) -> list[dict[str, Any]]:
    """Return the learner's mocks and every answer given, as JSON-ready data (privacy export)."""
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for answer in MockAnswer.objects.filter(mock__learner=learner).select_related("item"):
        answers[answer.mock_id].append(
            {
                "question": answer.position + 1,
                "item": str(answer.item.uuid),
                "question_text": answer.item.stem,
                "response": answer.response,
                "is_correct": answer.is_correct,
                "counts": answer.counts,
                "answered_at": answer.created_at.isoformat(),
            }
        )
    return [
        {
            "uuid": str(mock.uuid),
            "qualification": mock.qualification.title,
            "started_at": mock.started_at.isoformat(),
            "deadline": mock.deadline.isoformat(),
            "finished_at": mock.finished_at.isoformat() if mock.finished_at else None,
            "questions": mock.question_count,
            "correct": mock.correct_count,
            "grade": mock.grade,
            "answers": answers.get(mock.pk, []),
        }
        for mock in MockTest.objects.filter(learner=learner).select_related("qualification")
    ]
