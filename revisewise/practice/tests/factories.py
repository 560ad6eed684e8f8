from __future__ import annotations

import factory

from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.content.services import content_item_key
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.practice.generation import payloads
from revisewise.practice.generation.normalise import digest
from revisewise.practice.models import Item, ItemStatus, ItemType


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    unit = factory.SubFactory(UnitFactory)
    qualification = factory.LazyAttribute(lambda item: item.unit.qualification)
    item_type = ItemType.MCQ_SINGLE
    stem = "Which of these best describes complaint handling?"
    payload = factory.LazyFunction(
        lambda: payloads.single(
            answer="Applying a structured approach to resolving customer issues.",
            distractors=[
                "Formal agreements that define the expected level of service.",
                "Giving team members the authority to make decisions quickly.",
            ],
        )
    )
    explanation = "Complaint handling applies a structured approach."
    source_section = "Key Concepts"
    source_sentence = (
        "Complaint Handling: Applying a structured approach to resolving customer issues."
    )
    source_key = factory.Sequence(lambda n: digest("factory", str(n)))
    content_hash = "factory"
    generator_version = "offline-1.0"
    status = ItemStatus.AUTO_APPROVED


# Bullets of the seed page "Customer service performance" (demo/seeds/001_...), as imported.
PERFORMANCE_UNIT = {
    ItemKind.CONCEPT: [
        (
            "Customer journey mapping",
            "Understanding and analysing every touchpoint a customer has with an organisation to "
            "identify opportunities for improvement.",
        ),
        (
            "Service level agreements (SLAs)",
            "Formal agreements that define the expected level of service, including response "
            "times, resolution times, and quality standards.",
        ),
        (
            "Complaint handling procedures",
            "Structured processes for receiving, investigating, and resolving customer "
            "complaints, often following the 'LATER' model (Listen, Apologise, Thank, Explain, "
            "Resolve).",
        ),
        (
            "Performance metrics",
            "Key performance indicators (KPIs) such as First Contact Resolution (FCR), Customer "
            "Satisfaction Score (CSAT), and Net Promoter Score (NPS) used to measure service "
            "effectiveness.",
        ),
        (
            "Empowerment and delegation",
            "Giving team members the authority to make decisions within defined boundaries to "
            "resolve customer issues quickly and efficiently.",
        ),
        (
            "Complaint Handling",
            "Applying a structured approach to resolving customer issues, such as the 'HEAT' "
            "model (Hear, Empathise, Apologise, Take action), and understanding the impact of "
            "effective complaint resolution on customer retention.",
        ),
        (
            "Legal and Regulatory Compliance",
            "Awareness of relevant legislation, including the Consumer Rights Act 2015, Equality "
            "Act 2010, and Data Protection Act 2018, and how they affect customer service "
            "practices.",
        ),
    ],
    ItemKind.OBJECTIVE: [
        (
            "",
            "Maintain a positive relationship even when you are unable to deliver the customers "
            "expected outcome",
        ),
        (
            "",
            "When managing referrals or escalations take into account historical interactions "
            "and challenges to determine next steps",
        ),
    ],
    ItemKind.CRITERION: [
        (
            "",
            "Award credit for demonstrating effective de-escalation techniques, such as "
            "acknowledging the customer's frustration and offering a sincere, personalized "
            "apology.",
        ),
        (
            "",
            "Assess the learner's ability to review customer history before making referrals, "
            "identifying patterns or unresolved issues to determine the most appropriate next "
            "steps.",
        ),
    ],
    ItemKind.TIP: [
        (
            "",
            "💡Use the 'Acknowledge, Apologize, Act' framework when you cannot deliver the "
            "expected outcome, and explain each step clearly to the assessor.",
        ),
        (
            "",
            "💡When writing assignments, always reference specific examples of how historical "
            "interactions influenced your referral decisions to showcase analytical thinking.",
        ),
    ],
    ItemKind.MISTAKE: [
        (
            "",
            "Making assumptions about the customer's history without fully reviewing past "
            "interactions, leading to inappropriate referrals.",
        ),
        (
            "",
            "Using scripted apologies that sound insincere, rather than tailoring the response "
            "to the individual situation.",
        ),
        (
            "",
            "Treating the customer journey as a simple, step-by-step process rather than a "
            "dynamic, multi-channel experience with overlapping phases.",
        ),
    ],
    ItemKind.MISCONCEPTION: [
        (
            "Customer service is just about being polite.",
            "While politeness is important, effective customer service requires problem-solving "
            "skills, product knowledge, and the ability to manage emotions under pressure.",
        ),
        (
            "Complaints are always negative.",
            "Complaints provide valuable feedback and opportunities to improve processes. A "
            "well-handled complaint can actually increase customer loyalty.",
        ),
        (
            "Customer service metrics are only for large companies.",
            "Small businesses also benefit from tracking metrics like CSAT and FCR to identify "
            "trends and improve service delivery.",
        ),
    ],
}


def content_item(*, unit: Unit, kind: str, name: str, text: str, position: int) -> ContentItem:
    return ContentItemFactory.create(
        unit=unit,
        kind=kind,
        name=name,
        text=text,
        position=position,
        key=content_item_key(kind=kind, name=name, text=text),
    )


def performance_unit(unit: Unit | None = None) -> Unit:
    """Return a unit holding the bullets of the seed page "Customer service performance"."""
    unit = unit or UnitFactory.create(title="Customer service performance")
    for kind, bullets in PERFORMANCE_UNIT.items():
        for position, (name, text) in enumerate(bullets):
            content_item(unit=unit, kind=kind, name=name, text=text, position=position)
    return unit


def items_of_every_type(*, unit: Unit | None = None) -> dict[str, Item]:
    """Return one learner-visible item of each type in one unit, keyed by type."""
    unit = unit or UnitFactory.create(title="Customer service performance")
    payload_by_type = {
        ItemType.FLASHCARD: {"back": "Listen, Apologise, Thank, Explain, Resolve."},
        ItemType.MCQ_SINGLE: payloads.single(
            answer="Understanding every touchpoint a customer has with an organisation.",
            distractors=[
                "Formal agreements that define the expected level of service.",
                "Giving team members the authority to make decisions quickly.",
            ],
        ),
        ItemType.MCQ_MULTI: payloads.multi(
            answers=["First Contact Resolution", "Net Promoter Score"],
            distractors=["Consumer Rights Act 2015"],
        ),
        ItemType.TRUE_FALSE: {"answer": False},
        ItemType.CLOZE: payloads.cloze(answer="Consumer Rights Act 2015", accepted=[]),
        ItemType.ORDERING: payloads.ordering(["Hear", "Empathise", "Apologise", "Take action"]),
        ItemType.MATCHING: payloads.matching(
            [
                ("CSAT", "Customer Satisfaction Score"),
                ("FCR", "First Contact Resolution"),
                ("NPS", "Net Promoter Score"),
            ]
        ),
        ItemType.WRITTEN: {
            "marking_points": ["Acknowledges the customer's frustration."],
            "model_answer": "Acknowledge the frustration and apologise sincerely.",
        },
    }
    stems = {
        ItemType.FLASHCARD: "What does the LATER model stand for?",
        ItemType.MCQ_SINGLE: "Which of these best describes customer journey mapping?",
        ItemType.MCQ_MULTI: "Which of these are performance metrics?",
        ItemType.TRUE_FALSE: "Customer service is just about being polite.",
        ItemType.CLOZE: "Legislation that affects customer service includes the _____.",
        ItemType.ORDERING: "Put the steps of the HEAT model in order.",
        ItemType.MATCHING: "Match each abbreviation to what it stands for.",
        ItemType.WRITTEN: "Explain how you would de-escalate an angry customer.",
    }
    return {
        item_type: ItemFactory.create(
            unit=unit, item_type=item_type, stem=stems[item_type], payload=payload
        )
        for item_type, payload in payload_by_type.items()
    }
