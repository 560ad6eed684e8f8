from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from revisewise.content.models import ContentItem, ItemKind, Qualification, Unit
from revisewise.content.tests.factories import (
    ContentItemFactory,
    QualificationFactory,
    UnitFactory,
)


@dataclass
class Corpus:
    """Two small qualifications written like the seed pages, for retrieval tests."""

    service: Qualification
    journey: Unit
    performance: Unit
    retail: Qualification
    stock: Unit
    escalation_tip: ContentItem
    metrics_concept: ContentItem
    shared_misconception: ContentItem


def corpus_create() -> Corpus:
    service = cast(
        Qualification,
        QualificationFactory(
            title="Level 3 Diploma in Customer Service",
            overview=(
                "A diploma for people who lead customer service teams.\n\n"
                "It covers complaints, service standards and leading a team."
            ),
        ),
    )
    journey = cast(
        Unit,
        UnitFactory(
            qualification=service,
            title="Customer journey knowledge",
            synopsis="The customer journey from first contact to follow-up; moments of truth.",
        ),
    )
    performance = cast(
        Unit,
        UnitFactory(
            qualification=service,
            title="Customer service performance",
            synopsis="Keeping customer trust when you cannot meet their expectations.",
        ),
    )
    escalation_tip = cast(
        ContentItem,
        ContentItemFactory(
            unit=journey,
            kind=ItemKind.TIP,
            name="",
            text=(
                "For scenario questions, justify escalation decisions with a clear rationale. "
                "Cite policy, risk and the customer's wellbeing, not personal opinion."
            ),
        ),
    )
    ContentItemFactory(
        unit=journey,
        kind=ItemKind.MISTAKE,
        name="",
        text="Treating the customer journey as a simple step-by-step process.",
    )
    metrics_concept = cast(
        ContentItem,
        ContentItemFactory(
            unit=performance,
            kind=ItemKind.CONCEPT,
            name="Performance metrics",
            text=(
                "Key performance indicators (KPIs) such as Customer Satisfaction Score (CSAT) and "
                "Net Promoter Score (NPS) measure how effective the service is."
            ),
        ),
    )
    ContentItemFactory(
        unit=performance,
        kind=ItemKind.CRITERION,
        name="",
        text="Credit clear records of why a referral or escalation was made.",
    )
    shared_misconception = cast(
        ContentItem,
        ContentItemFactory(
            unit=None,
            qualification=service,
            kind=ItemKind.MISCONCEPTION,
            name="Complaints are always negative",
            text="Complaints are valuable feedback and a chance to win back loyalty.",
        ),
    )
    retail = cast(
        Qualification,
        QualificationFactory(title="Level 2 Certificate in Retail", overview=""),
    )
    stock = cast(
        Unit,
        UnitFactory(
            qualification=retail,
            title="Stock control",
            synopsis="Counting, ordering and rotating stock in a shop.",
        ),
    )
    ContentItemFactory(
        unit=stock,
        kind=ItemKind.CONCEPT,
        name="Stock rotation",
        text="Selling older stock first so that nothing goes out of date on the shelf.",
    )
    ContentItemFactory(
        unit=stock,
        kind=ItemKind.TIP,
        name="",
        text="When a customer complaint is about stock, escalate it to the store manager.",
    )
    return Corpus(
        service=service,
        journey=journey,
        performance=performance,
        retail=retail,
        stock=stock,
        escalation_tip=escalation_tip,
        metrics_concept=metrics_concept,
        shared_misconception=shared_misconception,
    )
