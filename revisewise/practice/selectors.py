"""Read practice items for the people allowed to see them."""

from __future__ import annotations

from django.db.models import QuerySet

from revisewise.accounts.models import User
from revisewise.content.models import Qualification, Unit
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item


def items_list_for_learner(
    *, learner: User, unit: Unit | None = None, qualification: Qualification | None = None
) -> QuerySet[Item]:
    """Return the items a learner may practise: approved, or auto-approved because valid.

    Content is published to every learner, so the only filter is the item's review status.
    """
    items = Item.objects.filter(status__in=LEARNER_VISIBLE_STATUSES).select_related(
        "unit", "qualification", "source_item", "objective"
    )
    if unit is not None:
        items = items.filter(unit=unit)
    if qualification is not None:
        items = items.filter(qualification=qualification)
    return items.order_by("unit__position", "pk")
