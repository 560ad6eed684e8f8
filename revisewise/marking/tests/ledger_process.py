"""Run by the kill test in its own OS processes, against a file SQLite database of its own.

`python -m revisewise.marking.tests.ledger_process seed N` makes a unit with a written item
and a learner, submits N written answers through the real service (with TASKS_USE_WORKERS set
they wait in the database task queue) and prints their ids as JSON. `report` prints the
ledger: every answer's status, tries, marks and grading, and the attempt and review counts.
"""

from __future__ import annotations

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def seed(count: int) -> list[int]:
    from revisewise.accounts.tests.factories import UserFactory
    from revisewise.marking.services import written_answer_submit
    from revisewise.practice.models import ItemType
    from revisewise.practice.tests.factories import ItemFactory, performance_unit

    item = ItemFactory.create(
        unit=performance_unit(),
        item_type=ItemType.WRITTEN,
        stem="Explain how you would calm an angry customer.",
        payload={
            "marking_points": [
                "Acknowledging the customer's frustration.",
                "Offering a sincere, personal apology.",
            ],
            "model_answer": "Acknowledge the frustration and apologise sincerely.",
        },
    )
    learner = UserFactory.create()
    answers = [
        written_answer_submit(
            learner=learner,
            item=item,
            text=f"I would acknowledge their frustration and apologise sincerely ({n}).",
            client_token=f"form-{n}",
            duration_ms=None,
        )
        for n in range(count)
    ]
    return [answer.pk for answer in answers]


def report() -> dict[str, object]:
    from revisewise.marking.models import WrittenAnswer
    from revisewise.practice.models import Attempt
    from revisewise.scheduling.models import ReviewLog

    answers = [
        {
            "id": answer.pk,
            "status": answer.status,
            "tries": answer.marking_attempts,
            "marks": answer.marks.count(),
            "graded": answer.attempt.graded_at is not None,
        }
        for answer in WrittenAnswer.objects.select_related("attempt").order_by("pk")
    ]
    return {
        "answers": answers,
        "attempts": Attempt.objects.count(),
        "reviews": ReviewLog.objects.count(),
    }


if __name__ == "__main__":
    _setup()
    command = sys.argv[1]
    output = seed(int(sys.argv[2])) if command == "seed" else report()
    print(json.dumps(output))
