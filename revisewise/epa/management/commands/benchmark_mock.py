"""Measure mock tests: assembly of a 50-question mock, answer saves and pages through the views.

Run it on a scratch database, not the one you use, for example:
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py benchmark_mock --mocks 10
It builds a throwaway qualification (6 units x 5 objectives x 10 four-option questions) with
the ST0070 knowledge test, signs in a throwaway learner with Django's test client, sits mocks
through the real views (htmx answer posts), and deletes everything it made.
"""

from __future__ import annotations

import math
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ItemKind,
    Qualification,
    Subject,
    Unit,
)
from revisewise.content.services import content_item_key
from revisewise.epa.models import AssessmentMethod, AssessmentPlan, GradeBoundary, MockTest
from revisewise.epa.selectors import mock_items
from revisewise.epa.services import mock_start
from revisewise.practice.generation import payloads
from revisewise.practice.models import Item, ItemStatus, ItemType


class Command(BaseCommand):
    help = "Print mock assembly time and answer-save / page latency p50/p95 through the views."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mocks", type=int, default=10, help="mocks to sit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["mocks"] < 1:
            raise CommandError("--mocks must be at least 1.")
        name = f"benchmark-{uuid.uuid4().hex[:8]}"
        qualification = _bank(name)
        learner = User.objects.create_user(username=name, email=f"{name}@example.invalid")
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        try:
            with override_settings(ALLOWED_HOSTS=hosts, EPA_MOCK_QUESTION_COUNT=0):
                self._run(qualification, learner, options["mocks"])
        finally:
            MockTest.objects.filter(learner=learner).delete()
            learner.delete()
            qualification.delete()

    def _run(self, qualification: Qualification, learner: User, mocks: int) -> None:
        client = Client()
        client.force_login(learner)
        timings: dict[str, list[float]] = {"assembly": [], "answer": [], "take": [], "result": []}
        queries: dict[str, int] = {}
        for _ in range(mocks):
            started = time.perf_counter()
            mock = mock_start(learner=learner, qualification=qualification, now=timezone.now())
            timings["assembly"].append(_ms(started))
            items = mock_items(mock=mock)
            for position, item in enumerate(items):
                url = reverse("epa:mock-answer", args=[mock.uuid, position + 1])
                started = time.perf_counter()
                client.post(url, {f"q{position}": item.payload["answer"]}, HTTP_HX_REQUEST="true")
                timings["answer"].append(_ms(started))
            queries["take"] = _timed(
                client, reverse("epa:mock-take", args=[mock.uuid]), timings["take"]
            )
            client.post(reverse("epa:mock-save", args=[mock.uuid]), {"action": "submit"})
            queries["result"] = _timed(
                client, reverse("epa:mock-result", args=[mock.uuid]), timings["result"]
            )
        self.stdout.write(f"bank: {Item.objects.filter(qualification=qualification).count()} items")
        self.stdout.write(_line("mock assembly (50 questions)", timings["assembly"]))
        self.stdout.write(_line("answer save POST (htmx)", timings["answer"]))
        self.stdout.write(_line(f"take page GET ({queries['take']} queries)", timings["take"]))
        self.stdout.write(
            _line(f"result page GET ({queries['result']} queries)", timings["result"])
        )


def _timed(client: Client, url: str, into: list[float]) -> int:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        into.append(_ms(started))
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}.")
    return len(captured)


def _bank(name: str) -> Qualification:
    subject, _ = Subject.objects.get_or_create(name="Benchmark", defaults={"slug": "benchmark"})
    body, _ = AwardingBody.objects.get_or_create(name="Benchmark", defaults={"slug": "benchmark"})
    qualification = Qualification.objects.create(
        subject=subject, awarding_body=body, title=name, slug=name
    )
    plan = AssessmentPlan.objects.create(
        qualification=qualification,
        standard_code="ST0070",
        standard_title="Business administrator",
        source_title="benchmark",
        grades=["Fail", "Pass", "Distinction"],
    )
    method = AssessmentMethod.objects.create(
        plan=plan, kind="knowledge_test", name="Knowledge test", duration_minutes=60,
        question_count=50, source="benchmark",
    )  # fmt: skip
    for grade, low, high in (("Fail", 0, 29), ("Pass", 30, 39), ("Distinction", 40, 50)):
        GradeBoundary.objects.create(method=method, grade=grade, min_marks=low, max_marks=high)
    items = []
    for u in range(6):
        unit = Unit.objects.create(qualification=qualification, title=f"Unit {u}", slug=f"u{u}")
        for o in range(5):
            text = f"Objective {u}.{o}"
            objective = ContentItem.objects.create(
                qualification=qualification, unit=unit, kind=ItemKind.OBJECTIVE, text=text,
                key=content_item_key(kind=ItemKind.OBJECTIVE, name="", text=text),
            )  # fmt: skip
            for q in range(10):
                n = f"{u}.{o}.{q}"
                items.append(
                    Item(
                        qualification=qualification,
                        unit=unit,
                        objective=objective,
                        item_type=ItemType.MCQ_SINGLE,
                        stem=f"Question {n}?",
                        payload=payloads.single(
                            answer=f"Right {n}", distractors=[f"A {n}", f"B {n}", f"C {n}"]
                        ),
                        source_key=f"benchmark-{n}",
                        status=ItemStatus.AUTO_APPROVED,
                    )
                )
    Item.objects.bulk_create(items)
    return qualification


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _line(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return f"{label}: n={len(values)}, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
