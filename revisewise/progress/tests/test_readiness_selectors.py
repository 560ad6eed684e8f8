from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import ContentItem
from revisewise.content.tests.factories import QualificationFactory
from revisewise.epa.models import MethodKind
from revisewise.epa.selectors import mock_items
from revisewise.epa.services import mock_answer_submit, mock_start, mock_submit
from revisewise.epa.tests.factories import (
    AssessmentMethodFactory,
    AssessmentPlanFactory,
    item_bank,
    knowledge_test_plan,
    right_answer,
)
from revisewise.progress.readiness import MASTERY_ONLY
from revisewise.progress.selectors import (
    readiness_boundaries_for,
    readiness_for_learners,
    readiness_get_for_learner,
)
from revisewise.scheduling.services import card_review_answer

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank():
    method = knowledge_test_plan()
    qualification = method.plan.qualification
    items = item_bank(qualification=qualification, units=2, objectives=2, per_objective=3)
    return qualification, items


def _practise(learner, items, *, right):
    for item in items:
        card_review_answer(learner=learner, item=item, is_correct=right, reviewed_at=NOW)


def test_it_reads_the_knowledge_tests_boundaries_from_the_plan(bank):
    qualification, _items = bank

    boundaries = readiness_boundaries_for(qualification=qualification)

    assert boundaries.has_knowledge_test
    assert (boundaries.question_count, boundaries.pass_marks) == (50, 30)
    assert boundaries.distinction_marks == 40
    assert boundaries.guess_rate == 0.25
    assert (boundaries.fail_grade, boundaries.pass_grade) == ("Fail", "Pass")


def test_without_a_knowledge_test_readiness_is_about_mastery_only():
    qualification = QualificationFactory.create()
    assert readiness_boundaries_for(qualification=qualification) == MASTERY_ONLY
    plan = AssessmentPlanFactory.create(qualification=qualification)
    AssessmentMethodFactory.create(
        plan=plan, kind=MethodKind.PROFESSIONAL_DISCUSSION, name="Professional discussion"
    )

    assert readiness_boundaries_for(qualification=qualification) == MASTERY_ONLY


LATER = NOW + timedelta(days=5)


@time_machine.travel(LATER, tick=False)
def test_it_predicts_from_mastery_and_names_the_weakest_objectives(bank):
    qualification, items = bank
    learner = UserFactory.create()
    _practise(learner, items[:9], right=True)
    _practise(learner, items[9:], right=False)

    readiness = readiness_get_for_learner(learner=learner, qualification=qualification, now=LATER)

    weakest = ContentItem.objects.get(pk=items[-1].objective_id)
    assert readiness.reasons[0].label == weakest.text
    masteries = [reason.mastery for reason in readiness.reasons]
    assert masteries == sorted(masteries)
    assert masteries[0] < masteries[-1]
    assert readiness.reviews == len(items)
    assert readiness.p_distinction is not None
    assert 0.01 < readiness.p_distinction < readiness.p_pass


def test_a_good_mock_raises_the_chance_of_a_pass(bank, settings):
    settings.EPA_MOCK_QUESTION_COUNT = 4
    qualification, _items = bank
    learner = UserFactory.create()
    before = readiness_get_for_learner(learner=learner, qualification=qualification, now=NOW)
    mock = mock_start(learner=learner, qualification=qualification, now=NOW)
    for position, item in enumerate(mock_items(mock=mock)):
        mock_answer_submit(
            learner=learner,
            mock=mock,
            position=position,
            response=right_answer(item),
            now=NOW + timedelta(seconds=10),
        )
    mock_submit(learner=learner, mock=mock, now=NOW + timedelta(minutes=2))

    after = readiness_get_for_learner(learner=learner, qualification=qualification, now=NOW)

    assert (before.mock_count, after.mock_count) == (0, 1)
    assert after.p_pass > before.p_pass


def test_the_dashboard_read_matches_each_learners_own_and_its_queries_are_bounded(bank, settings):
    settings.EPA_MOCK_QUESTION_COUNT = 4
    qualification, items = bank
    learners = UserFactory.create_batch(4)
    _practise(learners[0], items, right=True)
    _practise(learners[1], items[:6], right=False)
    mock = mock_start(learner=learners[2], qualification=qualification, now=NOW)
    mock_submit(learner=learners[2], mock=mock, now=NOW + timedelta(minutes=1))
    ids = [learner.pk for learner in learners]

    with CaptureQueriesContext(connection) as one:
        few = readiness_for_learners(learner_ids=ids[:1], qualification=qualification, now=LATER)
    with CaptureQueriesContext(connection) as four:
        many = readiness_for_learners(learner_ids=ids, qualification=qualification, now=LATER)

    assert len(one) == len(four) <= 10

    assert few[ids[0]] == many[ids[0]]
    for learner in learners:
        own = readiness_get_for_learner(learner=learner, qualification=qualification, now=LATER)
        assert many[learner.pk] == own
    assert many[ids[2]].mock_count == 1
    assert many[ids[0]].p_pass > many[ids[1]].p_pass


@time_machine.travel(LATER, tick=False)
def test_the_progress_page_shows_readiness_with_its_reasons_escaped(bank, client):
    _qualification, items = bank
    objective = ContentItem.objects.get(pk=items[-1].objective_id)
    objective.text = "Explain <script>alert(1)</script> escalation"
    objective.save(update_fields=["text"])
    learner = UserFactory.create()
    _practise(learner, items[:9], right=True)
    _practise(learner, items[9:], right=False)
    client.force_login(learner)

    html = client.get(reverse("progress:overview")).content.decode()

    assert "Readiness for the assessment" in html
    assert "Predicted grade:" in html
    assert "Chance of a pass:" in html
    assert "Chance of a distinction:" in html
    assert "Holding it down" in html
    assert "Explain &lt;script&gt;alert(1)&lt;/script&gt; escalation" in html
    assert "<script>alert(1)" not in html


def test_the_progress_page_shows_only_the_signed_in_learners_readiness(bank, client):
    _qualification, items = bank
    learner, other = UserFactory.create_batch(2)
    _practise(other, items, right=True)
    client.force_login(learner)

    html = client.get(reverse("progress:overview")).content.decode()

    assert "No prediction yet" in html
    assert "Predicted grade:" not in html


def test_the_fast_read_gives_the_same_mastery_as_mastery_report(bank):
    from revisewise.practice.models import Item
    from revisewise.progress.selectors import _reports_for
    from revisewise.scheduling.mastery import ItemMemory, mastery_report
    from revisewise.scheduling.models import Card

    qualification, items = bank
    learners = UserFactory.create_batch(3)
    _practise(learners[0], items, right=True)
    _practise(learners[1], items[:5], right=False)
    _practise(learners[1], items[2:4], right=True)
    ids = [learner.pk for learner in learners]
    when = LATER + timedelta(days=7)

    fast = _reports_for(ids, qualification, when)

    rows = Item.objects.filter(pk__in=[item.pk for item in items]).order_by("unit_id", "pk")
    for learner in learners:
        cards = {card.item_id: card for card in Card.objects.filter(learner=learner)}
        memories = [
            ItemMemory(
                item_key=item.pk,
                unit_key=item.unit_id,
                qualification_key=qualification.pk,
                objective_key=item.objective_id,
                stability=cards[item.pk].stability if item.pk in cards else None,
                last_review=cards[item.pk].last_review if item.pk in cards else None,
                review_count=cards[item.pk].review_count if item.pk in cards else 0,
            )
            for item in rows
        ]
        slow = mastery_report(memories, now=when)
        report = fast[learner.pk]
        for name in ("by_objective", "by_unit", "by_qualification"):
            expected, got = getattr(slow, name), getattr(report, name)
            assert list(got) == list(expected)
            for key, mastery in expected.items():
                assert got[key].value == pytest.approx(mastery.value, abs=1e-12)
                assert got[key].confidence == pytest.approx(mastery.confidence, abs=1e-12)
                assert (got[key].items, got[key].seen_items, got[key].reviews) == (
                    mastery.items,
                    mastery.seen_items,
                    mastery.reviews,
                )
    assert fast[ids[2]].by_qualification[qualification.pk].seen_items == 0
    assert fast[ids[0]].by_qualification[qualification.pk].value > 0.5
