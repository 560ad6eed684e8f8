"""Measure the practice flow: answer-submit latency through the views, and generation per unit.

Run it on a scratch file database, not the one you use, for example:
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py import_content demo/seeds
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py benchmark_practice --submits 200
It signs in a throwaway learner with Django's test client, answers items through the real views
(plain POST, as without JavaScript) and deletes that learner and its records afterwards.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client, override_settings
from django.urls import reverse

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.practice.models import Item, ItemType, PracticeSession
from revisewise.practice.services import items_generate_all

TOKEN = re.compile(r'name="token" value="([^"]+)"')


class Command(BaseCommand):
    help = "Print answer-submit latency p50/p95 through the views and generation time per unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--submits", type=int, default=200, help="answers to submit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["submits"] < 1:
            raise CommandError("--submits must be at least 1.")
        self._generation()
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts):
            self._submits(options["submits"])

    def _generation(self) -> None:
        for label, results in (
            ("first run", items_generate_all()),
            ("regeneration", items_generate_all()),
        ):
            for result in results:
                self.stdout.write(
                    f"generation ({label}) {result.unit_title}: {result.seconds * 1000:.0f} ms"
                )

    def _submits(self, count: int) -> None:
        qualifications = list(Qualification.objects.filter(practice_items__isnull=False).distinct())
        if not qualifications:
            raise CommandError("No practice items: run import_content and generate_items first.")
        name = f"benchmark-{uuid.uuid4().hex[:8]}"
        learner = User.objects.create_user(username=name, email=f"{name}@example.invalid")
        client = Client()
        client.force_login(learner)
        submit_ms: list[float] = []
        page_ms: list[float] = []
        try:
            while len(submit_ms) < count:
                qualification = qualifications[len(submit_ms) % len(qualifications)]
                self._one_session(client, learner, qualification, submit_ms, page_ms, count)
        finally:
            learner.delete()
        self.stdout.write(_line("item page GET", page_ms))
        self.stdout.write(_line("answer submit POST", submit_ms))

    def _one_session(
        self,
        client: Client,
        learner: User,
        qualification: Qualification,
        submit_ms: list[float],
        page_ms: list[float],
        count: int,
    ) -> None:
        client.post(
            reverse("practice:session-start"),
            {"scope": "qualification", "qualification": str(qualification.uuid)},
        )
        session = PracticeSession.objects.filter(learner=learner).order_by("-pk").first()
        if session is None:
            raise CommandError("The session did not start.")
        for number, key in enumerate(session.item_order, start=1):
            if len(submit_ms) >= count:
                return
            kwargs = {"session_uuid": session.uuid, "number": number}
            started = time.perf_counter()
            page = client.get(reverse("practice:session-item", kwargs=kwargs) + "?reveal=1")
            page_ms.append((time.perf_counter() - started) * 1000)
            found = TOKEN.search(page.content.decode())
            if found is None:
                raise CommandError(f"No answer form on item {number}.")
            data = {**right_answer(Item.objects.get(uuid=key)), "token": found.group(1)}
            started = time.perf_counter()
            response = client.post(reverse("practice:answer-submit", kwargs=kwargs), data)
            submit_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise CommandError(f"Submit answered {response.status_code} on item {number}.")


def right_answer(item: Item) -> dict[str, Any]:
    """Return the POST data of a right answer to `item`."""
    payload = item.payload
    kind = item.item_type
    if kind in (ItemType.MCQ_SINGLE, ItemType.MCQ_MULTI):
        return {"response": payload.get("answer") or payload["answers"]}
    if kind == ItemType.TRUE_FALSE:
        return {"response": "true" if payload["answer"] else "false"}
    if kind == ItemType.ORDERING:
        return {f"step_{n}": step["id"] for n, step in enumerate(payload["steps"], start=1)}
    if kind == ItemType.MATCHING:
        return {f"match_{pair['left_id']}": pair["right_id"] for pair in payload["pairs"]}
    if kind == ItemType.FLASHCARD:
        return {"response": "good"}
    return {"response": payload.get("answer") or payload.get("model_answer") or "An answer."}


def _line(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    return (
        f"{label}: n={len(ordered)} p50={percentile(ordered, 50):.1f} ms "
        f"p95={percentile(ordered, 95):.1f} ms max={ordered[-1]:.1f} ms"
    )


def percentile(ordered: list[float], rank: float) -> float:
    """Return the nearest-rank percentile of sorted samples."""
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]
