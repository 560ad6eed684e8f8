from __future__ import annotations

from datetime import date
from typing import Any

import factory

from revisewise.accounts.tests.factories import CohortFactory, UserFactory
from revisewise.centres.models import Assignment


class AssignmentFactory(factory.django.DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    set_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Revise unit {n}")
    due_date = date(2026, 3, 20)

    @factory.post_generation
    def items(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.items.set(extracted)
