from __future__ import annotations

import pytest

from revisewise.marking.engine import MarkingEngine, get_engine
from revisewise.marking.types import MarkingRequest, Misconception


@pytest.fixture(scope="session")
def engine() -> MarkingEngine:
    """The real engine with its real model and classifier, loaded once for the session."""
    return get_engine()


@pytest.fixture
def unit_request() -> MarkingRequest:
    """A customer-service question shaped like the seed units' written items."""
    return MarkingRequest(
        question="How should you handle a customer complaint about a late delivery?",
        answer="",
        marking_points=(
            "Listen to the customer and acknowledge the complaint",
            "Apologise for the inconvenience",
            "Investigate the cause of the delay",
            "Agree a solution and follow up with the customer",
        ),
        reference_answers=(
            "Listen to the customer and acknowledge the problem, apologise, investigate why the "
            "delivery was late, agree a solution such as a refund or redelivery and follow up to "
            "check the customer is satisfied.",
        ),
        misconceptions=(
            Misconception(
                statement="You should argue with the customer to prove the company was right",
                correction="Stay calm and courteous; the aim is to resolve the issue, not win.",
            ),
        ),
        pass_criteria=("Describe how to handle a complaint",),
        distinction_criteria=("Explain why following up with the customer builds loyalty",),
        guidance=("Use the customer's name and keep a record of the complaint.",),
        model_answer=(
            "Listen, acknowledge and apologise, investigate the delay, agree a remedy and follow "
            "up to confirm the customer is happy."
        ),
    )


GOOD_ANSWER = (
    "First I would listen carefully to the customer and acknowledge their complaint. "
    "I would apologise for the inconvenience caused. Then I would investigate why the delivery "
    "was delayed, agree a solution such as a redelivery or refund, and follow up with the "
    "customer afterwards."
)


# A written model answer (40 words or more): since 2.5.0 an answer compared with it alone, with no
# marking points, is decided by the long_references model, on the written items' feature row.
MODEL_ANSWER = (
    "I would listen to the customer without interrupting and acknowledge how frustrating the "
    "late delivery has been for them. I would apologise sincerely for the inconvenience, then "
    "check the order on our system to find out why it was delayed. Finally I would agree a "
    "solution with the customer, such as a new delivery date or a refund of the delivery "
    "charge, and follow up to make sure it arrived."
)


# The product side: a unit with content, a written item, and people of two centres ------------


@pytest.fixture(autouse=True)
def _no_request_sweep(settings):
    # The marking pages start the sweep at most once a minute; tests of the sweep call it.
    settings.MARKING_SWEEP_INTERVAL_SECONDS = 0


@pytest.fixture
def written_item(db):
    """A written item on a unit holding the seed page's misconceptions and guidance."""
    from revisewise.practice.models import ItemType
    from revisewise.practice.tests.factories import ItemFactory, performance_unit

    unit = performance_unit()
    return ItemFactory.create(
        unit=unit,
        item_type=ItemType.WRITTEN,
        stem="Explain how you would maintain a positive relationship with a customer when you "
        "cannot deliver the outcome they expected.",
        payload={
            "marking_points": [
                "Demonstrating effective de-escalation techniques, such as acknowledging the "
                "customer's frustration and offering a sincere, personalized apology.",
                "Explaining clearly what can be done instead and agreeing the next steps.",
            ],
            "model_answer": "Acknowledge the customer's frustration, apologise sincerely, "
            "explain what can be done instead and agree the next steps.",
        },
        source_sentence="Maintain a positive relationship even when you are unable to deliver "
        "the customers expected outcome",
    )


GOOD_WRITTEN_ANSWER = (
    "I would acknowledge the customer's frustration and offer a sincere, personal apology. "
    "Then I would explain clearly what we can do instead and agree the next steps with them."
)


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit a written answer through the service and run its marking task after commit."""
    from revisewise.marking.services import written_answer_submit

    def run(learner, item, text=GOOD_WRITTEN_ANSWER, token="form-1"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = written_answer_submit(
                learner=learner, item=item, text=text, client_token=token, duration_ms=90_000
            )
        answer.refresh_from_db()
        return answer

    return run
