from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.tests.factories import QualificationFactory
from revisewise.epa.models import FinishReason, MockAnswer, MockTest
from revisewise.epa.selectors import mock_items, mock_latest_answers
from revisewise.epa.services import (
    LateAnswerError,
    MockError,
    mock_answer_submit,
    mock_finalise_if_overdue,
    mock_remaining_seconds,
    mock_start,
    mock_submit,
    mocks_finalise_overdue,
)
from revisewise.epa.tests.factories import (
    AssessmentMethodFactory,
    four_option_item,
    item_bank,
    knowledge_test_plan,
    right_answer,
    wrong_answer,
)
from revisewise.practice.models import ItemType
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.models import Card, ReviewLog

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_it_takes_count_and_time_from_the_plan(qualification):
    item_bank(qualification=qualification, units=1, objectives=1, per_objective=40)
    mock = mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    assert (mock.question_count, mock.planned_count, mock.duration_seconds) == (50, 50, 3600)
    assert mock.deadline == START + timedelta(minutes=60)
    assert mock.assembly_note == ""
    assert [b["min"] for b in mock.boundaries] == [0, 30, 40]


def test_a_small_configured_mock_says_so(qualification, small_mock):
    mock = mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    assert (mock.question_count, mock.duration_seconds, mock.plan_total) == (4, 120, 50)
    assert "short practice mock (4 questions in 2 minutes)" in mock.assembly_note


def test_it_balances_units_and_objectives(qualification, small_mock, settings):
    settings.EPA_MOCK_QUESTION_COUNT = 8
    mock = mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    items = mock_items(mock=mock)
    assert Counter(item.unit_id for item in items).most_common() in (
        [(items[0].unit_id, 4), (items[1].unit_id, 4)],
        [(items[1].unit_id, 4), (items[0].unit_id, 4)],
    )
    assert sorted(Counter(item.objective_id for item in items).values()) == [2, 2, 2, 2]
    assert len({item.pk for item in items}) == 8


def test_it_prefers_four_option_multiple_choice_and_skips_unmarkable_types(
    qualification, small_mock
):
    unit = mock_items(
        mock=mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    )[0].unit
    for item_type in (ItemType.FLASHCARD, ItemType.WRITTEN, ItemType.ORDERING):
        ItemFactory.create(unit=unit, item_type=item_type, payload={"back": "x"})
    three_option = ItemFactory.create(unit=unit)  # the factory's default has three options
    learner = UserFactory.create()
    for hour in range(3):
        mock = mock_start(
            learner=learner, qualification=qualification, now=START + timedelta(hours=hour)
        )
        types = {item.item_type for item in mock_items(mock=mock)}
        assert types == {ItemType.MCQ_SINGLE}
        assert all(len(i.payload["options"]) == 4 for i in mock_items(mock=mock))
        assert str(three_option.uuid) not in mock.item_order


def test_it_does_not_repeat_the_last_mock_when_the_bank_allows(qualification, small_mock):
    learner = UserFactory.create()
    first = mock_start(learner=learner, qualification=qualification, now=START)
    mock_submit(learner=learner, mock=first, now=START + timedelta(minutes=1))
    second = mock_start(
        learner=learner, qualification=qualification, now=START + timedelta(hours=1)
    )
    assert not set(first.item_order) & set(second.item_order)
    assert "last mock" not in second.assembly_note


def test_it_repeats_only_what_it_must_and_says_so(qualification, small_mock, settings):
    settings.EPA_MOCK_QUESTION_COUNT = 8  # of a bank of 12: the second mock must reuse 4
    learner = UserFactory.create()
    first = mock_start(learner=learner, qualification=qualification, now=START)
    mock_submit(learner=learner, mock=first, now=START + timedelta(minutes=1))
    second = mock_start(
        learner=learner, qualification=qualification, now=START + timedelta(hours=1)
    )
    assert len(set(first.item_order) & set(second.item_order)) == 4
    assert "4 of these questions were also in your last mock" in second.assembly_note


def test_a_bank_smaller_than_the_plan_gives_what_there_is_and_says_so(qualification):
    mock = mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    assert mock.question_count == 12
    assert mock.planned_count == 50
    assert "only 12 questions" in mock.assembly_note
    assert "fewer than the 50" in mock.assembly_note


def test_it_refuses_a_plan_without_a_knowledge_test_or_without_questions(db):
    method = AssessmentMethodFactory.create(kind="professional_discussion", question_count=None)
    with pytest.raises(MockError, match="has no knowledge test"):
        mock_start(learner=UserFactory.create(), qualification=method.plan.qualification, now=START)
    empty = knowledge_test_plan().plan.qualification
    with pytest.raises(MockError, match="no questions"):
        mock_start(learner=UserFactory.create(), qualification=empty, now=START)
    with pytest.raises(MockError):
        mock_start(
            learner=UserFactory.create(), qualification=QualificationFactory.create(), now=START
        )


def test_starting_again_resumes_the_running_mock(qualification, small_mock):
    learner = UserFactory.create()
    first = mock_start(learner=learner, qualification=qualification, now=START)
    again = mock_start(
        learner=learner, qualification=qualification, now=START + timedelta(seconds=30)
    )
    assert again.pk == first.pk
    assert mock_remaining_seconds(mock=again, now=START + timedelta(seconds=30)) == 90


def test_answers_are_idempotent_and_the_latest_counts(qualification, small_mock):
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    item = mock_items(mock=mock)[0]
    for _ in range(2):
        mock_answer_submit(
            learner=learner, mock=mock, position=0, response=wrong_answer(item), now=START
        )
    assert MockAnswer.objects.filter(mock=mock).count() == 1
    mock_answer_submit(
        learner=learner,
        mock=mock,
        position=0,
        response=right_answer(item),
        now=START + timedelta(seconds=5),
    )
    assert MockAnswer.objects.filter(mock=mock).count() == 2  # appended, never rewritten
    assert mock_latest_answers(mock=mock)[0].is_correct


def test_a_late_answer_is_kept_but_rejected_and_does_not_count(qualification, small_mock, settings):
    settings.EPA_ANSWER_GRACE_SECONDS = 2
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    item = mock_items(mock=mock)[0]
    late = mock.deadline + timedelta(seconds=3)

    with pytest.raises(LateAnswerError, match="Time was up"):
        mock_answer_submit(
            learner=learner, mock=mock, position=0, response=right_answer(item), now=late
        )

    stored = MockAnswer.objects.get(mock=mock)
    assert stored.counts is False
    mock.refresh_from_db()
    assert mock.finished_at == mock.deadline
    assert mock.finish_reason == FinishReason.TIMED_OUT
    assert mock.correct_count == 0
    assert mock.grade == "Fail"


def test_an_answer_within_the_grace_counts(qualification, small_mock, settings):
    settings.EPA_ANSWER_GRACE_SECONDS = 2
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    item = mock_items(mock=mock)[0]
    mock_answer_submit(
        learner=learner,
        mock=mock,
        position=0,
        response=right_answer(item),
        now=mock.deadline + timedelta(seconds=2),
    )
    finished = mock_finalise_if_overdue(mock=mock, now=mock.deadline + timedelta(seconds=3))
    assert finished.correct_count == 1


def test_the_server_finalises_an_overdue_mock_when_it_is_next_read(qualification, small_mock):
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    items = mock_items(mock=mock)
    for position, item in enumerate(items[:3]):
        mock_answer_submit(
            learner=learner,
            mock=mock,
            position=position,
            response=right_answer(item),
            now=START + timedelta(seconds=10),
        )
    assert mock_finalise_if_overdue(mock=mock, now=mock.deadline).finished_at is None
    assert mocks_finalise_overdue(learner=learner, now=mock.deadline + timedelta(seconds=10)) == 1
    mock.refresh_from_db()
    assert (mock.correct_count, mock.grade, mock.finished_at) == (3, "Pass", mock.deadline)
    # Finalising twice changes nothing and reviews each card once.
    assert mocks_finalise_overdue(learner=learner, now=mock.deadline + timedelta(minutes=5)) == 0
    assert ReviewLog.objects.filter(card__learner=learner, source="mock").count() == 3


def test_a_finished_mock_refuses_changes(qualification, small_mock):
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    mock_submit(learner=learner, mock=mock, now=START + timedelta(seconds=20))
    item = mock_items(mock=mock)[0]
    with pytest.raises(MockError, match="has been submitted"):
        mock_answer_submit(
            learner=learner,
            mock=mock,
            position=0,
            response=right_answer(item),
            now=START + timedelta(seconds=30),
        )
    mock.refresh_from_db()
    assert mock.finish_reason == FinishReason.SUBMITTED
    assert mock.finished_at == START + timedelta(seconds=20)


def test_wrong_answers_make_their_cards_due(qualification, small_mock):
    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    items = mock_items(mock=mock)
    mock_answer_submit(
        learner=learner, mock=mock, position=0, response=wrong_answer(items[0]), now=START
    )
    mock_answer_submit(
        learner=learner, mock=mock, position=1, response=right_answer(items[1]), now=START
    )
    done = mock_submit(learner=learner, mock=mock, now=START + timedelta(minutes=1))
    wrong_card = Card.objects.get(learner=learner, item=items[0])
    right_card = Card.objects.get(learner=learner, item=items[1])
    assert wrong_card.due < right_card.due
    assert done.finished_at is not None
    assert wrong_card.due <= done.finished_at + timedelta(days=1)


def test_another_learner_cannot_answer(qualification, small_mock):
    mock = mock_start(learner=UserFactory.create(), qualification=qualification, now=START)
    with pytest.raises(PermissionError):
        mock_answer_submit(
            learner=UserFactory.create(), mock=mock, position=0, response="x", now=START
        )
    with pytest.raises(MockError, match="no such question"):
        mock_answer_submit(learner=mock.learner, mock=mock, position=9, response="x", now=START)
    assert not MockAnswer.objects.exists()
    assert MockTest.objects.count() == 1


def test_the_four_option_factory_item_is_four_option(db):
    item = four_option_item(unit=ItemFactory.create().unit, objective=None, n=1)
    assert len(item.payload["options"]) == 4


def test_the_privacy_registry_exports_and_erases_a_learners_mocks(qualification, small_mock):
    from revisewise.privacy.registry import personal_data_entries

    (entry,) = [e for e in personal_data_entries() if e.name == "epa"]
    assert entry.models == ("epa.MockTest", "epa.MockAnswer")
    learner, other = UserFactory.create(), UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    mock_start(learner=other, qualification=qualification, now=START)
    item = mock_items(mock=mock)[0]
    mock_answer_submit(
        learner=learner, mock=mock, position=0, response=right_answer(item), now=START
    )

    (exported,) = entry.export(learner)
    assert exported["uuid"] == str(mock.uuid)
    assert exported["answers"][0]["response"] == right_answer(item)
    assert exported["answers"][0]["question_text"] == item.stem

    entry.erase(learner)
    assert not MockTest.objects.filter(learner=learner).exists()
    assert not MockAnswer.objects.filter(mock__learner=learner).exists()
    assert MockTest.objects.filter(learner=other).count() == 1


def test_finalising_late_skips_cards_practised_since_and_does_not_fail(qualification, small_mock):
    from revisewise.scheduling.services import card_review_answer

    learner = UserFactory.create()
    mock = mock_start(learner=learner, qualification=qualification, now=START)
    items = mock_items(mock=mock)
    for position in (0, 1):
        mock_answer_submit(
            learner=learner,
            mock=mock,
            position=position,
            response=wrong_answer(items[position]),
            now=START + timedelta(seconds=5),
        )
    # The tab was closed; a day later the learner practised the first item before coming back.
    card_review_answer(
        learner=learner, item=items[0], is_correct=True, reviewed_at=START + timedelta(days=1)
    )

    assert mocks_finalise_overdue(learner=learner, now=START + timedelta(days=2)) == 1

    mock_reviews = ReviewLog.objects.filter(card__learner=learner, source="mock")
    assert [log.card.item_id for log in mock_reviews] == [items[1].pk]
    assert mock_reviews.get().reviewed_at == START + timedelta(seconds=5)
