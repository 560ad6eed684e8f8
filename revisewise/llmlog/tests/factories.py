from __future__ import annotations

import factory
from django.utils import timezone

from revisewise.accounts.tests.factories import UserFactory
from revisewise.llmlog.models import LlmCall, LlmOutcomeCode


class LlmCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LlmCall

    feature = "tutor_answer"
    model = "loopback-model"
    started_at = factory.LazyFunction(timezone.now)
    latency_ms = 120
    prompt_tokens = 100
    completion_tokens = 20
    outcome = LlmOutcomeCode.OK
    user = factory.SubFactory(UserFactory)
