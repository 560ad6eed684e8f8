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
