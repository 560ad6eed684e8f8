from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from revisewise.accounts.tests.factories import UserFactory
from revisewise.epa.selectors import MockScore, mock_items, mock_results_for
from revisewise.epa.services import mock_answer_submit, mock_start, mock_submit
from revisewise.epa.tests.factories import item_bank, knowledge_test_plan, right_answer

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_it_returns_finished_mocks_with_grade_and_objective_percentages(settings):
    settings.EPA_MOCK_QUESTION_COUNT = 4
    method = knowledge_test_plan()
    qualification = method.plan.qualification
    item_bank(qualification=qualification, units=2, objectives=2, per_objective=2)
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
    mock_submit(learner=learner, mock=mock, now=START + timedelta(minutes=5))

    scores = mock_results_for(learner=learner, qualification=qualification)

    assert len(scores) == 1
    score = scores[0]
    assert isinstance(score, MockScore)
    assert score.percent == 75.0
    assert score.grade == "Pass"
    assert score.finished_at == START + timedelta(minutes=5)
    objective = items[3].objective
    assert objective is not None
    missed = str(objective.uuid)
    assert score.per_objective[missed] == 0.0
    assert sorted(v for k, v in score.per_objective.items() if k != missed) == [100.0] * 3


def test_it_finalises_an_abandoned_mock_past_its_deadline(settings):
    settings.EPA_MOCK_QUESTION_COUNT = 4
    method = knowledge_test_plan()
    qualification = method.plan.qualification
    item_bank(qualification=qualification, units=2, objectives=1, per_objective=2)
    learner = UserFactory.create()
    # Started months ago (the clock is real here): its hour ran out long since.
    mock = mock_start(learner=learner, qualification=qualification, now=START)

    scores = mock_results_for(learner=learner, qualification=qualification)

    assert [(s.percent, s.grade, s.finished_at) for s in scores] == [(0.0, "Fail", mock.deadline)]


def test_it_is_empty_for_another_learner(settings):
    method = knowledge_test_plan()
    assert (
        mock_results_for(learner=UserFactory.create(), qualification=method.plan.qualification)
        == []
    )
