from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.epa.models import MockAnswer, MockTest
from revisewise.epa.selectors import mock_items
from revisewise.epa.services import mock_start
from revisewise.epa.tests.factories import right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


@pytest.fixture
def mock(learner, qualification, small_mock) -> MockTest:
    return mock_start(learner=learner, qualification=qualification, now=timezone.now())


def _answer_url(mock: MockTest, number: int) -> str:
    return reverse("epa:mock-answer", kwargs={"mock_uuid": mock.uuid, "number": number})


def test_a_learner_starts_a_mock_and_sees_the_timer_from_the_server(
    learner, qualification, small_mock
):
    client = _client(learner)
    response = client.post(
        reverse("epa:mock-start", kwargs={"qualification_slug": qualification.slug})
    )
    mock = MockTest.objects.get(learner=learner)
    assert response["Location"] == reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    remaining = int(page.context["remaining"])
    assert 118 <= remaining <= 120
    assert f'data-remaining="{remaining}"' in page.content.decode()
    assert "epa/mock_timer.js" in page.content.decode()
    assert "<script>" not in page.content.decode()  # CSP: no inline script


def test_resuming_shows_the_time_left_and_the_saved_answers(learner, mock):
    item = mock_items(mock=mock)[0]
    MockTest.objects.filter(pk=mock.pk).update(
        started_at=mock.started_at - timedelta(seconds=50),
        deadline=mock.deadline - timedelta(seconds=50),
    )
    client = _client(learner)
    client.post(_answer_url(mock, 1), {"q0": right_answer(item)}, HTTP_HX_REQUEST="true")
    page = client.get(reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid}))
    assert 68 <= page.context["remaining"] <= 70
    assert f'value="{right_answer(item)}" checked' in page.content.decode()


def test_an_htmx_answer_is_saved_once(learner, mock):
    item = mock_items(mock=mock)[1]
    client = _client(learner)
    for _ in range(2):
        response = client.post(
            _answer_url(mock, 2), {"q1": wrong_answer(item)}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "Saved" in response.content.decode()
    assert MockAnswer.objects.filter(mock=mock, position=1).count() == 1


def test_a_bad_answer_is_refused_with_a_message(learner, mock):
    client = _client(learner)
    response = client.post(_answer_url(mock, 1), {"q0": "not-an-option"})
    assert response.status_code == 400
    assert "Choose or type an answer first" in response.content.decode()
    assert client.post(_answer_url(mock, 9), {"q8": "x"}).status_code == 404
    assert not MockAnswer.objects.exists()


def test_a_late_answer_is_rejected_with_a_clear_message(learner, mock, settings):
    settings.EPA_ANSWER_GRACE_SECONDS = 2
    MockTest.objects.filter(pk=mock.pk).update(
        started_at=mock.started_at - timedelta(seconds=200),
        deadline=mock.deadline - timedelta(seconds=200),
    )
    item = mock_items(mock=mock)[0]
    response = _client(learner).post(
        _answer_url(mock, 1), {"q0": right_answer(item)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Time was up before this answer arrived" in response.content.decode()
    assert response["HX-Trigger"] == "mock-closed"
    answer = MockAnswer.objects.get(mock=mock)
    assert answer.counts is False
    mock.refresh_from_db()
    assert mock.correct_count == 0


def test_the_form_without_javascript_saves_and_submits(learner, mock):
    items = mock_items(mock=mock)
    client = _client(learner)
    data = {f"q{p}": right_answer(item) for p, item in enumerate(items[:3])}
    save = client.post(
        reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {**data, "action": "save"}
    )
    assert save["Location"] == reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid})
    assert MockAnswer.objects.filter(mock=mock).count() == 3
    submit = client.post(
        reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {**data, "action": "submit"}
    )
    assert submit["Location"] == reverse("epa:mock-result", kwargs={"mock_uuid": mock.uuid})
    assert MockAnswer.objects.filter(mock=mock).count() == 3
    result = client.get(submit["Location"])
    assert "3 out of 4 (75.0%): Pass" in result.content.decode()
    assert result.context["by_unit"]
    assert len(result.context["review"]) == 4
    assert "Because of fact" in result.content.decode()  # explanations are shown


def test_reading_an_overdue_mock_finalises_it_and_shows_the_result(learner, mock):
    MockTest.objects.filter(pk=mock.pk).update(
        started_at=mock.started_at - timedelta(seconds=300),
        deadline=mock.deadline - timedelta(seconds=300),
    )
    response = _client(learner).get(reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid}))
    assert response["Location"] == reverse("epa:mock-result", kwargs={"mock_uuid": mock.uuid})
    mock.refresh_from_db()
    assert mock.finish_reason == "timed_out"


def test_the_learners_tutor_may_read_the_result_but_not_sit_the_mock(tutor, learner, mock):
    client = _client(tutor)
    _client(learner).post(
        reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {"action": "submit"}
    )
    result = client.get(reverse("epa:mock-result", kwargs={"mock_uuid": mock.uuid}))
    assert result.status_code == 200
    assert "Practise what is due now" not in result.content.decode()
    assert client.get(reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid})).status_code == 404
    assert client.post(_answer_url(mock, 1), {"q0": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["other_learner", "other_tutor"])
def test_another_centre_gets_404_everywhere(request, persona, mock):
    client = _client(request.getfixturevalue(persona))
    kwargs = {"mock_uuid": mock.uuid}
    assert client.get(reverse("epa:mock-take", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("epa:mock-result", kwargs=kwargs)).status_code == 404
    assert (
        client.post(reverse("epa:mock-save", kwargs=kwargs), {"action": "submit"}).status_code
        == 404
    )
    assert client.post(_answer_url(mock, 1), {"q0": "x"}).status_code == 404
    mock.refresh_from_db()
    assert mock.finished_at is None
    assert not MockAnswer.objects.exists()


def test_answers_need_a_csrf_token(learner, mock):
    client = Client(enforce_csrf_checks=True)
    force_login_verified(client, learner)
    item = mock_items(mock=mock)[0]
    assert client.post(_answer_url(mock, 1), {"q0": right_answer(item)}).status_code == 403
    assert (
        client.post(
            reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {"action": "submit"}
        ).status_code
        == 403
    )
    assert not MockAnswer.objects.exists()


def test_script_in_a_question_is_escaped(learner, mock):
    item = mock_items(mock=mock)[0]
    item.stem = "<script>alert(1)</script> Which?"
    item.save()
    page = _client(learner).get(reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid}))
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, mock):
    response = client.get(reverse("epa:mock-take", kwargs={"mock_uuid": mock.uuid}))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_the_mock_home_page_describes_the_plans_test(learner, qualification, small_mock):
    page = _client(learner).get(
        reverse("epa:mock-home", kwargs={"qualification_slug": qualification.slug})
    )
    assert "The real test has 50 questions in 60 minutes" in page.content.decode()


def test_the_qualification_page_shows_the_plan_with_its_sources(client, qualification):
    page = client.get(qualification.get_absolute_url())
    html = page.content.decode()
    assert "End-point assessment" in html
    assert "Section 3: knowledge test" in html
    assert "30\u201339" in html


@pytest.mark.parametrize("page", ["epa:mock-take", "epa:mock-result"])
def test_pages_take_the_same_number_of_queries_whatever_the_length(
    learner, qualification, settings, page
):
    client = _client(learner)
    counts = []
    for size in (4, 8):
        settings.EPA_MOCK_QUESTION_COUNT = size
        mock = mock_start(learner=learner, qualification=qualification, now=timezone.now())
        for position, item in enumerate(mock_items(mock=mock)):
            client.post(_answer_url(mock, position + 1), {f"q{position}": right_answer(item)})
        if page == "epa:mock-result":
            client.post(
                reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {"action": "submit"}
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page, kwargs={"mock_uuid": mock.uuid})).status_code == 200
        counts.append(len(captured))
        if page == "epa:mock-take":
            client.post(
                reverse("epa:mock-save", kwargs={"mock_uuid": mock.uuid}), {"action": "submit"}
            )
    assert counts[0] == counts[1]
    assert counts[0] <= 8
