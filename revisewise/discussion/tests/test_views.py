from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from revisewise.accounts.models import Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory
from revisewise.discussion import services
from revisewise.discussion.models import DiscussionAnswer, DiscussionMark, DiscussionSession
from revisewise.discussion.services import (
    discussion_answer_mark,
    discussion_answer_submit,
    discussion_session_start,
)
from revisewise.discussion.tests.factories import CRITERIA, GOOD_ANSWER, GUIDANCE

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def people(learner):
    """The learner in a cohort, their tutor, and a learner and tutor of another centre."""
    cohort = CohortFactory.create()
    MembershipFactory.create(user=learner, cohort=cohort, role=Role.LEARNER)
    tutor = MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user
    elsewhere = CohortFactory.create()
    other_learner = MembershipFactory.create(cohort=elsewhere, role=Role.LEARNER).user
    other_tutor = MembershipFactory.create(cohort=elsewhere, role=Role.TUTOR).user
    return {"tutor": tutor, "other_learner": other_learner, "other_tutor": other_tutor}


@pytest.fixture
def session(learner, unit):
    return discussion_session_start(learner=learner, unit=unit, prompt_count=2, now=NOW)


@pytest.fixture
def marked(session):
    answer = discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)
    discussion_answer_mark(answer=answer)
    return answer


def _client(user, *, staff=False):
    client = Client()
    if staff:
        force_login_verified(client, user)
    else:
        client.force_login(user)
    return client


def _prompt_url(session, position=1):
    return reverse("discussion:prompt-answer", args=[session.uuid, position])


def _feedback_url(answer):
    return reverse("discussion:answer-feedback", args=[answer.session.uuid, answer.uuid])


def test_it_lists_units_with_criteria_and_starts_a_session(learner, unit):
    client = _client(learner)
    assert unit.title in client.get(reverse("discussion:home")).content.decode()

    response = client.post(
        reverse("discussion:session-start"), {"unit": str(unit.uuid), "prompt_count": 2}
    )

    session = DiscussionSession.objects.get(learner=learner)
    assert response["Location"] == _prompt_url(session)
    assert session.prompt_count == 2


def test_it_asks_the_question_with_its_source_and_time_guidance(learner, session):
    with time_machine.travel(NOW + timedelta(minutes=12, seconds=30), tick=False):
        html = _client(learner).get(_prompt_url(session)).content.decode()

    assert "Question 1 of 2" in html
    assert session.prompts[0]["text"] in html
    assert "From the learning objective:" in html
    assert "60 minutes for the whole discussion" in html
    assert "12 minutes so far" in html


def test_it_stores_marks_and_shows_criteria_feedback(learner, session):
    client = _client(learner)

    response = client.post(_prompt_url(session), {"answer": GOOD_ANSWER}, follow=True)

    answer = DiscussionAnswer.objects.get(session=session)
    assert answer.text == GOOD_ANSWER
    assert DiscussionMark.objects.filter(answer=answer).count() == 1
    html = response.content.decode()
    assert "Pass criteria" in html
    assert CRITERIA[0] in html
    assert "Distinction criteria" in html
    assert GUIDANCE[0] in html
    assert "Structure: situation, task, action, result" in html
    assert "<mark" in html


def test_it_keeps_a_too_long_answer_in_the_form_with_a_message(learner, session):
    text = "word " * 2_001 + "end"

    response = _client(learner).post(_prompt_url(session), {"answer": text})

    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 10,000" in html
    assert text.strip() in html
    assert not DiscussionAnswer.objects.exists()


def test_it_keeps_the_answer_and_offers_to_mark_again_when_marking_fails(
    learner, session, monkeypatch
):
    def broken(request):
        raise RuntimeError("no model")

    monkeypatch.setattr(services, "mark", broken)
    client = _client(learner)

    response = client.post(_prompt_url(session), {"answer": GOOD_ANSWER}, follow=True)

    answer = DiscussionAnswer.objects.get(session=session)
    html = response.content.decode()
    assert "could not be marked just now" in html
    assert "Mark it again" in html
    monkeypatch.undo()
    client.post(reverse("discussion:answer-mark", args=[session.uuid, answer.uuid]))
    assert DiscussionMark.objects.filter(answer=answer).count() == 1


def test_it_escapes_script_in_an_answer(learner, session):
    text = f"Last year {SCRIPT} a customer rang. I escalated the issue to my team leader."
    response = _client(learner).post(_prompt_url(session), {"answer": text}, follow=True)

    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_it_refuses_a_post_without_the_csrf_token(learner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(_prompt_url(session), {"answer": GOOD_ANSWER})

    assert response.status_code == 403
    assert not DiscussionAnswer.objects.exists()


def test_its_tutor_reads_the_feedback_and_summary_but_cannot_answer(people, session, marked):
    tutor = _client(people["tutor"], staff=True)

    assert tutor.get(_feedback_url(marked)).status_code == 200
    summary = tutor.get(reverse("discussion:session-summary", args=[session.uuid]))
    assert summary.status_code == 200
    assert "read only" in summary.content.decode()
    assert tutor.get(_prompt_url(session)).status_code == 404
    assert tutor.post(_prompt_url(session), {"answer": "x"}).status_code == 404
    mark_url = reverse("discussion:answer-mark", args=[session.uuid, marked.uuid])
    assert tutor.post(mark_url).status_code == 404


@pytest.mark.parametrize("who", ["other_learner", "other_tutor"])
def test_another_centres_people_get_404_everywhere(people, session, marked, who):
    client = _client(people[who], staff=who == "other_tutor")
    urls = [
        _prompt_url(session),
        _feedback_url(marked),
        reverse("discussion:session-summary", args=[session.uuid]),
        reverse("discussion:session-resume", args=[session.uuid]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(_prompt_url(session), {"answer": GOOD_ANSWER}).status_code == 404
    finish = reverse("discussion:session-finish", args=[session.uuid])
    assert client.post(finish).status_code == 404
    assert DiscussionAnswer.objects.count() == 1
    assert DiscussionSession.objects.get(pk=session.pk).finished_at is None


def test_the_learner_finishes_and_sees_the_summary(learner, session, marked):
    client = _client(learner)

    response = client.post(reverse("discussion:session-finish", args=[session.uuid]), follow=True)

    html = response.content.decode()
    assert "Discussion summary" in html
    assert "Marked as:" in html
    assert "Not answered." in html


def test_it_sends_an_anonymous_visitor_to_sign_in(session):
    response = Client().get(_prompt_url(session))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_an_unknown_question_number_is_404(learner, session):
    assert _client(learner).get(_prompt_url(session, position=3)).status_code == 404


def test_the_tutor_lists_their_learners_discussions(people, learner, session, marked):
    url = reverse("discussion:learner-sessions", args=[learner.uuid])

    html = _client(people["tutor"], staff=True).get(url).content.decode()

    assert session.unit.title in html
    assert reverse("discussion:session-summary", args=[session.uuid]) in html
    assert "1 of 2 answered" in html


@pytest.mark.parametrize("who", ["learner", "other_learner", "other_tutor"])
def test_nobody_else_lists_a_learners_discussions(people, learner, session, who):
    user = learner if who == "learner" else people[who]
    client = _client(user, staff=who == "other_tutor")

    response = client.get(reverse("discussion:learner-sessions", args=[learner.uuid]))

    assert response.status_code == 404


def test_it_links_the_mock_test_of_each_qualification_whose_plan_has_a_knowledge_test(
    learner, unit
):
    from revisewise.content.tests.factories import QualificationFactory
    from revisewise.epa.tests.factories import AssessmentPlanFactory, knowledge_test_plan

    with_test = knowledge_test_plan().plan.qualification
    without_test = AssessmentPlanFactory.create(qualification=QualificationFactory.create())

    page = _client(learner).get(reverse("discussion:home")).content.decode()

    assert reverse("epa:mock-home", args=[with_test.slug]) in page
    assert reverse("epa:mock-home", args=[without_test.qualification.slug]) not in page
