from __future__ import annotations

import factory

from revisewise.content.models import ContentItem, ItemKind, Qualification, Unit
from revisewise.content.tests.factories import ContentItemFactory, QualificationFactory, UnitFactory
from revisewise.epa.models import (
    AssessmentMethod,
    AssessmentPlan,
    GradeBoundary,
    MethodKind,
    QuestionKind,
)
from revisewise.practice.generation import payloads
from revisewise.practice.models import Item, ItemType
from revisewise.practice.tests.factories import ItemFactory


class AssessmentPlanFactory(factory.django.DjangoModelFactory[AssessmentPlan]):
    class Meta:
        model = AssessmentPlan

    qualification = factory.SubFactory(QualificationFactory)
    standard_code = factory.Sequence(lambda n: f"ST9{n:03d}")
    standard_title = "Business administrator"
    source_title = "End-point assessment plan for the business administrator standard"
    source_version = "AP01"
    source_date = "2020-09"
    grades = factory.LazyFunction(lambda: ["Fail", "Pass", "Distinction"])


class AssessmentMethodFactory(factory.django.DjangoModelFactory[AssessmentMethod]):
    class Meta:
        model = AssessmentMethod

    plan = factory.SubFactory(AssessmentPlanFactory)
    kind = MethodKind.KNOWLEDGE_TEST
    name = "Knowledge test"
    duration_minutes = 60
    question_count = 50
    question_kind = QuestionKind.MCQ_FOUR_OPTION
    grading_rules = "Each question is worth one mark."
    source = "Section 3: knowledge test"


def knowledge_test_plan(
    *, qualification: Qualification | None = None, questions: int = 50, minutes: int = 60
) -> AssessmentMethod:
    """Return a knowledge test with the ST0070 boundaries: 0-29 fail, 30-39 pass, 40-50
    distinction (scaled to `questions` when it is not 50)."""
    plan = AssessmentPlanFactory.create(
        qualification=qualification or QualificationFactory.create()
    )
    method = AssessmentMethodFactory.create(
        plan=plan, question_count=questions, duration_minutes=minutes
    )
    pass_at, distinction_at = questions * 30 // 50, questions * 40 // 50
    for grade, low, high in (
        ("Fail", 0, pass_at - 1),
        ("Pass", pass_at, distinction_at - 1),
        ("Distinction", distinction_at, questions),
    ):
        GradeBoundary.objects.create(method=method, grade=grade, min_marks=low, max_marks=high)
    return method


def four_option_item(*, unit: Unit, objective: ContentItem | None, n: int) -> Item:
    return ItemFactory.create(
        unit=unit,
        objective=objective,
        item_type=ItemType.MCQ_SINGLE,
        stem=f"Question {n} about {unit.title}?",
        payload=payloads.single(
            answer=f"Right answer {n}",
            distractors=[f"Wrong answer {n}a", f"Wrong answer {n}b", f"Wrong answer {n}c"],
        ),
        explanation=f"Because of fact {n}.",
    )


def item_bank(
    *, qualification: Qualification, units: int = 3, objectives: int = 2, per_objective: int = 3
) -> list[Item]:
    """Create `units` units, each with `objectives` objectives of `per_objective` questions."""
    items: list[Item] = []
    for u in range(units):
        unit = UnitFactory.create(qualification=qualification, title=f"Unit {u}", position=u)
        for o in range(objectives):
            objective = ContentItemFactory.create(
                unit=unit, kind=ItemKind.OBJECTIVE, name="", text=f"Objective {u}.{o}"
            )
            for _q in range(per_objective):
                items.append(four_option_item(unit=unit, objective=objective, n=len(items)))
    return items


def right_answer(item: Item) -> str:
    return str(item.payload["answer"])


def wrong_answer(item: Item) -> str:
    return str(next(o["id"] for o in item.payload["options"] if o["id"] != item.payload["answer"]))
