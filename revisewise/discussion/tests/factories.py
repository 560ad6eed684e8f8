from __future__ import annotations

from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory

OBJECTIVES = (
    "Understand the reasons why customer issues and complex situations sometimes need referral "
    "or escalation for specialist attention",
    "Maintain a positive relationship even when you are unable to deliver the customers "
    "expected outcome",
)
CRITERIA = (
    "Award credit for articulating clear escalation criteria based on issue complexity, risk, "
    "and authority limits, referencing organisational policy.",
    "Expect evidence of maintaining a positive tone and focusing on future solutions rather than "
    "dwelling on the negative outcome.",
)
GUIDANCE = (
    "For scenario-based questions, justify escalation decisions with clear rationale: cite "
    "policy, risk assessment, and customer wellbeing, not just personal opinion.",
    "During professional discussions, emphasise the importance of maintaining a positive "
    "relationship by focusing on what you can do, not on what you cannot.",
)


def discussion_unit(*, unit: Unit | None = None) -> Unit:
    """Return a unit with two objectives, two assessment criteria and two guidance rows."""
    unit = unit or UnitFactory.create(title="Customer service performance")
    rows: list[tuple[str, tuple[str, ...]]] = [
        (ItemKind.OBJECTIVE, OBJECTIVES),
        (ItemKind.CRITERION, CRITERIA),
        (ItemKind.TIP, GUIDANCE),
    ]
    for kind, texts in rows:
        for position, text in enumerate(texts):
            ContentItemFactory.create(unit=unit, kind=kind, name="", text=text, position=position)
    return unit


def criterion(unit: Unit, index: int) -> ContentItem:
    return ContentItem.objects.get(unit=unit, kind=ItemKind.CRITERION, text=CRITERIA[index])


# A full answer about escalation, in the STAR shape.
GOOD_ANSWER = (
    "Last year a customer rang our helpdesk because a refund had been refused twice. "
    "My role was to resolve complaints at the first line within my authority limits. "
    "I listened to her, apologised and checked the order history. "
    "I escalated the issue to my team leader because the refund was above my authority limit "
    "and organisational policy says complex, high-risk issues go to a specialist. "
    "I kept a positive tone and focused on what we could do next rather than the refusal. "
    "As a result the refund was approved the next day and she thanked me; I learned to check "
    "the policy on escalation criteria first."
)
