from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from revisewise.content.tests.factories import UnitFactory
from revisewise.practice.models import ItemType
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.scheduling.models import ExamPlan, LearnerSchedulingSettings
from revisewise.scheduling.services import (
    card_review_answer,
    exam_plan_set,
    learner_settings_update,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
URL = reverse("progress:plan")


def _data(items, **changes):
    data = {
        "qualification": str(items[ItemType.CLOZE].qualification.uuid),
        "exam_date": "2026-05-29",
        "daily_capacity": "40",
        "retention_percent": "90",
    }
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
def test_it_sets_the_exam_date_and_settings_then_shows_the_plan(client, learner, items):
    client.force_login(learner)

    response = client.post(URL, _data(items, retention_percent="85"), follow=True)

    exam = ExamPlan.objects.get(learner=learner)
    assert exam.exam_date == date(2026, 5, 29)
    settings = LearnerSchedulingSettings.objects.get(learner=learner)
    assert (settings.daily_capacity, settings.desired_retention) == (40, 0.85)
    html = response.content.decode()
    assert "Exam on 29 May 2026: 88 days to go." in html
    plan = response.context["plans"][0].plan
    first = plan.days[0]
    assert f"Today: {first.new_count} new question" in html
    assert first.new_count >= 1
    assert "Day by day" in html
    assert "This plan does not fit your time" not in html
    assert "Your exam date and plan are saved." in html


@time_machine.travel(NOW, tick=False)
def test_it_warns_prominently_when_the_time_left_cannot_cover_the_items(client, learner, items):
    exam_plan_set(
        learner=learner,
        qualification=items[ItemType.CLOZE].qualification,
        exam_date=date(2026, 3, 4),
    )
    learner_settings_update(learner=learner, daily_capacity=1)
    client.force_login(learner)

    response = client.get(URL)

    html = response.content.decode()
    assert response.context["plans"][0].plan.is_feasible is False
    assert '<div class="plan-warning" role="alert">' in html
    assert "The time left cannot cover everything" in html
    assert 'class="over-capacity"' in html
    # A plan the learner cannot keep promises nothing about exam day.
    assert "on exam day." not in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exam_date": "2026-03-02"}, "Choose an exam date after today."),
        ({"exam_date": "2029-01-01"}, "Choose an exam date within the next two years."),
        ({"exam_date": "31/02/2026"}, "Enter the exam date as a real date"),
        ({"daily_capacity": "0"}, "Enter at least 1 question a day."),
        ({"retention_percent": "99"}, "Enter a target retention of at most 97."),
        ({"retention_percent": "50"}, "Enter a target retention of at least 70."),
        ({"qualification": "not-a-uuid"}, "Choose a qualification from the list."),
    ],
)
def test_it_rejects_invalid_plans_with_a_clear_message(client, learner, items, changes, message):
    client.force_login(learner)

    response = client.post(URL, _data(items, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExamPlan.objects.filter(learner=learner).exists()


@time_machine.travel(NOW, tick=False)
def test_it_shows_only_the_learners_own_exam_plans(client, learner, other_learner, items):
    exam_plan_set(
        learner=other_learner,
        qualification=items[ItemType.CLOZE].qualification,
        exam_date=date(2026, 4, 1),
    )
    client.force_login(learner)

    response = client.get(URL)

    assert response.context["plans"] == []
    assert "You have not set an exam date yet." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_escapes_qualification_titles(client, learner, items):
    qualification = items[ItemType.CLOZE].qualification
    qualification.title = '<script>alert("x")</script> Level 2'
    qualification.save(update_fields=["title"])
    exam_plan_set(learner=learner, qualification=qualification, exam_date=date(2026, 4, 1))
    client.force_login(learner)

    plan_html = client.get(URL).content.decode()
    overview_html = client.get(reverse("progress:overview")).content.decode()

    for html in (plan_html, overview_html):
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Level 2" in html


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("exams", "queries"), [(1, 11), (2, 16)])
def test_it_pins_its_query_count(client, learner, items, exams, queries, django_assert_num_queries):
    qualifications = [items[ItemType.CLOZE].qualification]
    qualifications += [
        items_of_every_type(unit=UnitFactory.create())[ItemType.CLOZE].qualification
        for _extra in range(exams - 1)
    ]
    for qualification in qualifications:
        exam_plan_set(learner=learner, qualification=qualification, exam_date=date(2026, 5, 1))
    card_review_answer(
        learner=learner, item=items[ItemType.CLOZE], is_correct=True, reviewed_at=NOW
    )
    client.force_login(learner)
    client.get(URL)

    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_chooses_the_qualification_linked_from_the_progress_page(client, learner, items):
    qualification = items[ItemType.CLOZE].qualification
    client.force_login(learner)

    overview = client.get(reverse("progress:overview")).content.decode()
    link = f"{URL}?qualification={qualification.uuid}"
    response = client.get(link)

    assert f'href="{link}"' in overview
    assert f'<option value="{qualification.uuid}" selected>' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_predicts_recall_on_exam_day_at_the_target_retention(client, learner, items):
    exam_plan_set(
        learner=learner,
        qualification=items[ItemType.CLOZE].qualification,
        exam_date=date(2026, 6, 1),
    )
    client.force_login(learner)

    response = client.get(URL)

    percent = response.context["plans"][0].exam_day_recall_percent
    assert 89 <= percent <= 100
    assert f"you should recall about {percent}% of the questions on exam day" in (
        response.content.decode()
    )
