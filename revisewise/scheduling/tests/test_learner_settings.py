from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.tests.factories import QualificationFactory
from revisewise.scheduling.models import ExamPlan, LearnerSchedulingSettings
from revisewise.scheduling.selectors import (
    scheduler_get_for_learner,
    scheduling_settings_get_for_learner,
)
from revisewise.scheduling.services import exam_plan_set, learner_settings_update

pytestmark = pytest.mark.django_db


def test_it_defaults_to_ninety_percent_retention_without_saving():
    learner = UserFactory.create()
    settings = scheduling_settings_get_for_learner(learner=learner)
    assert settings.desired_retention == 0.9
    assert scheduler_get_for_learner(learner=learner).desired_retention == 0.9
    assert not LearnerSchedulingSettings.objects.exists()


def test_it_stores_the_learners_retention_and_capacity():
    learner = UserFactory.create()
    learner_settings_update(learner=learner, desired_retention=0.85, daily_capacity=25)
    learner_settings_update(learner=learner, daily_capacity=30)
    settings = LearnerSchedulingSettings.objects.get(learner=learner)
    assert (settings.desired_retention, settings.daily_capacity) == (0.85, 30)
    assert scheduler_get_for_learner(learner=learner).desired_retention == 0.85


def test_it_refuses_a_capacity_below_one():
    with pytest.raises(ValueError, match="at least one"):
        learner_settings_update(learner=UserFactory.create(), daily_capacity=0)


def test_it_refuses_an_out_of_range_retention_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        LearnerSchedulingSettings.objects.create(
            learner=UserFactory.create(), desired_retention=0.5
        )


def test_it_moves_the_exam_date_rather_than_adding_a_second_one():
    learner = UserFactory.create()
    qualification = QualificationFactory.create()
    exam_plan_set(learner=learner, qualification=qualification, exam_date=date(2026, 6, 1))
    exam_plan_set(learner=learner, qualification=qualification, exam_date=date(2026, 7, 1))
    plan = ExamPlan.objects.get(learner=learner)
    assert plan.exam_date == date(2026, 7, 1)
