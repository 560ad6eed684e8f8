"""The written-answer pages: feedback, pending state, flags, retries, and who may see what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import (
    MarkFlag,
    MarkingStatus,
    Moderation,
    ModerationDecision,
    WrittenAnswer,
)
from revisewise.marking.services import written_answer_submit
from revisewise.marking.tests.conftest import GOOD_WRITTEN_ANSWER
from revisewise.practice.models import Attempt, ItemStatus

pytestmark = pytest.mark.django_db

MISCONCEIVED = (
    "I would acknowledge the customer's frustration and offer a sincere, personal apology. "
    "Customer service is just about being polite."
)


def _url(name, answer):
    return reverse(f"marking:{name}", kwargs={"answer_uuid": answer.uuid})


def _queued(learner, item, token="queued"):
    # Submitted, but its marking task has not run (it runs after this test's transaction).
    return written_answer_submit(
        learner=learner, item=item, text=GOOD_WRITTEN_ANSWER, client_token=token, duration_ms=None
    )


# Who may see and act -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["answer-detail", "answer-panel"])
def test_the_learner_and_their_tutor_see_an_answer_and_other_centres_get_404(
    client, name, learner, tutor, other_learner, other_tutor, written_item, submit
):
    answer = submit(learner, written_item)

    seen = {}
    for person in (learner, tutor, other_learner, other_tutor):
        force_login_verified(client, person)
        seen[person.pk] = client.get(_url(name, answer)).status_code
    assert seen == {learner.pk: 200, tutor.pk: 200, other_learner.pk: 404, other_tutor.pk: 404}


def test_a_tutor_sees_the_answer_read_only_and_the_view_is_audited(
    client, learner, tutor, written_item, submit
):
    answer = submit(learner, written_item)
    force_login_verified(client, tutor)

    html = client.get(_url("answer-detail", answer)).content.decode()

    assert "as their tutor" in html
    assert "The learner's answer" in html
    assert 'action="' + _url("answer-flag", answer) not in html
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_VIEWED)
    assert (event.actor, event.subject) == (tutor, learner)
    assert event.detail == {"answer": str(answer.uuid)}


def test_the_learner_viewing_their_own_answer_is_not_audited(client, learner, written_item, submit):
    answer = submit(learner, written_item)
    force_login_verified(client, learner)

    client.get(_url("answer-detail", answer))

    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["answer-flag", "answer-retry"])
def test_only_the_learner_may_flag_or_retry_their_answer(
    client, name, learner, tutor, other_learner, other_tutor, written_item, submit
):
    answer = submit(learner, written_item)

    for person in (tutor, other_learner, other_tutor):
        force_login_verified(client, person)
        response = client.post(_url(name, answer), {"reason": "Not fair."})
        assert response.status_code == 404
    assert not MarkFlag.objects.exists()
    force_login_verified(client, learner)
    assert client.post(_url(name, answer), {"reason": "Not fair."}).status_code == 302


def test_the_list_shows_only_the_learners_own_answers(
    client, learner, tutor, other_learner, written_item, submit
):
    mine = submit(learner, written_item, token="mine")
    theirs = submit(other_learner, written_item, token="theirs")
    url = reverse("marking:answer-list")

    force_login_verified(client, learner)
    html = client.get(url).content.decode()
    assert _url("answer-detail", mine) in html
    assert _url("answer-detail", theirs) not in html
    assert "Marked" in html
    assert f"{round(mine.marks.get().score * 100)}%" in html

    for person in (tutor, other_learner):
        force_login_verified(client, person)
        assert _url("answer-detail", mine) not in client.get(url).content.decode()


def test_signing_in_is_required(client, learner, written_item, submit):
    answer = submit(learner, written_item)

    for url in (_url("answer-detail", answer), reverse("marking:answer-list")):
        assert client.get(url).status_code == 302


# The feedback panel --------------------------------------------------------------------------


def test_the_panel_ticks_points_highlights_evidence_and_names_misconceptions(
    client, learner, written_item, submit
):
    answer = submit(learner, written_item, text=MISCONCEIVED)
    mark = answer.marks.get()
    force_login_verified(client, learner)

    html = client.get(_url("answer-detail", answer)).content.decode()

    verdicts = [v["verdict"] for v in mark.result["point_verdicts"]]
    assert "met" in verdicts
    assert '<li class="point point-met">' in html
    assert '<mark class="evidence evidence-met">' in html
    evidence = next(v["evidence"]["text"] for v in mark.result["point_verdicts"] if v["evidence"])
    assert evidence.replace("'", "&#x27;") in html
    assert mark.result["misconceptions_shown"], "the engine should see the misconception"
    assert '<mark class="evidence evidence-misconception">' in html
    assert "Customer service is just about being polite." in html
    assert "Correction:" in html
    assert "problem-solving skills" in html
    assert "For a distinction" in html
    assert "Acknowledge, Apologize, Act" in html
    assert "<summary>Show a model answer</summary>" in html
    assert f"{mark.engine_name} {mark.engine_version}" in html
    assert "hx-trigger" not in html


def test_a_pending_answer_polls_and_offers_a_refresh_link(client, learner, written_item):
    answer = _queued(learner, written_item)
    force_login_verified(client, learner)

    html = client.get(_url("answer-detail", answer)).content.decode()

    assert "Your answer is saved and is being marked." in html
    assert f'hx-get="{_url("answer-panel", answer)}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert f'href="{_url("answer-detail", answer)}"' in html
    assert GOOD_WRITTEN_ANSWER.replace("'", "&#x27;") in html


def test_the_polled_panel_stops_polling_once_marked(
    client, learner, written_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = _queued(learner, written_item)
    force_login_verified(client, learner)
    pending = client.get(_url("answer-panel", answer), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in pending.content.decode()
    assert "<html" not in pending.content.decode()

    for callback in callbacks:
        callback()
    marked = client.get(_url("answer-panel", answer), HTTP_HX_REQUEST="true").content.decode()

    assert "hx-trigger" not in marked
    assert '<ol class="marking-points">' in marked
    assert pending["Cache-Control"] == "no-store"


def test_an_answer_that_needs_a_person_offers_a_retry_that_marks_it(
    client, learner, written_item, django_capture_on_commit_callbacks
):
    answer = _queued(learner, written_item)
    WrittenAnswer.objects.filter(pk=answer.pk).update(
        status=MarkingStatus.NEEDS_PERSON, marking_attempts=3, last_error="RuntimeError: boom"
    )
    force_login_verified(client, learner)
    html = client.get(_url("answer-detail", answer)).content.decode()
    assert "could not mark it" in html
    assert f'action="{_url("answer-retry", answer)}"' in html
    assert "RuntimeError" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("answer-retry", answer), follow=True)

    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED
    assert "Your answer is being marked again." in response.content.decode()


def test_a_moderation_is_shown_as_the_mark_with_the_machine_mark_before_it(
    client, learner, tutor, written_item, submit
):
    answer = submit(learner, written_item)
    mark = answer.marks.get()
    points = [v["point"] for v in mark.result["point_verdicts"]]
    Moderation.objects.create(
        mark=mark,
        tutor=tutor,
        decision=ModerationDecision.OVERRIDDEN,
        point_verdicts=[
            {"point": points[0], "machine": "met", "tutor": "partly_met", "comment": "Say why."},
            {"point": points[1], "machine": "met", "tutor": "not_met", "comment": ""},
        ],
        label="incorrect",
        score=0.2,
        comment="Give a workplace example next time.",
    )
    force_login_verified(client, learner)

    html = client.get(_url("answer-detail", answer)).content.decode()

    assert "Not yet correct: 20% of the marks" in html
    assert "Your tutor has moderated this mark" in html
    assert "Give a workplace example next time." in html
    assert "Machine mark (before moderation)" in html
    assert '<li class="point point-partly_met">' in html
    assert '<li class="point point-not_met">' in html
    assert "Say why." in html


def test_a_script_in_an_answer_is_escaped_on_the_feedback_page(
    client, learner, written_item, submit
):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answer = submit(learner, written_item, text=f"{GOOD_WRITTEN_ANSWER} {script}")
    force_login_verified(client, learner)

    html = client.get(_url("answer-detail", answer)).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


# Flags -----------------------------------------------------------------------------------------


def test_a_flag_needs_a_reason(client, learner, written_item, submit):
    answer = submit(learner, written_item)
    force_login_verified(client, learner)

    response = client.post(_url("answer-flag", answer), {"reason": "   "})

    assert response.status_code == 200
    assert "Say why you disagree with the mark." in response.content.decode()
    assert not MarkFlag.objects.exists()


def test_a_flag_is_stored_once_and_confirmed(client, learner, written_item, submit):
    answer = submit(learner, written_item)
    force_login_verified(client, learner)

    response = client.post(
        _url("answer-flag", answer), {"reason": "I did agree the next steps."}, follow=True
    )
    client.post(_url("answer-flag", answer), {"reason": "Again."})

    flag = MarkFlag.objects.get()
    assert (flag.learner, flag.mark, flag.reason) == (
        learner,
        answer.marks.get(),
        "I did agree the next steps.",
    )
    html = response.content.decode()
    assert "your tutor will look at this mark" in html
    assert "You told your tutor you disagree with this mark" in html
    assert 'name="reason"' not in html


def test_a_pending_answer_cannot_be_flagged(client, learner, written_item):
    answer = _queued(learner, written_item)
    force_login_verified(client, learner)

    client.post(_url("answer-flag", answer), {"reason": "Too early."})

    assert not MarkFlag.objects.exists()


# Answering a written question --------------------------------------------------------------


def _question_url(item):
    return reverse("marking:question-answer", kwargs={"item_uuid": item.uuid})


def _token(client, item):
    html = client.get(_question_url(item)).content.decode()
    return html.split('name="token" value="', 1)[1].split('"', 1)[0]


def test_answering_stores_then_marks_and_shows_the_feedback(
    client, learner, written_item, django_capture_on_commit_callbacks
):
    force_login_verified(client, learner)
    token = _token(client, written_item)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _question_url(written_item), {"response": GOOD_WRITTEN_ANSWER, "token": token}
        )
    again = client.post(
        _question_url(written_item), {"response": GOOD_WRITTEN_ANSWER, "token": token}
    )

    answer = WrittenAnswer.objects.get()
    assert response["Location"] == _url("answer-detail", answer)
    assert again["Location"] == _url("answer-detail", answer)
    assert answer.status == MarkingStatus.MARKED
    assert Attempt.objects.count() == 1


def test_an_answer_over_the_limit_gets_a_clear_message_and_keeps_the_text(
    client, learner, written_item
):
    force_login_verified(client, learner)
    text = "I would apologise and explain. " * 340

    response = client.post(
        _question_url(written_item), {"response": text, "token": _token(client, written_item)}
    )

    html = response.content.decode()
    assert len(text) > 10_000
    assert response.status_code == 200
    assert f"Your answer is {len(text.strip()):,} characters long; the limit is 10,000." in html
    assert text.strip() in html
    assert not Attempt.objects.exists()


def test_an_empty_answer_is_asked_for_again(client, learner, written_item):
    force_login_verified(client, learner)

    response = client.post(
        _question_url(written_item), {"response": "   ", "token": _token(client, written_item)}
    )

    assert response.status_code == 200
    assert "Write your answer before you submit it." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_question_learners_cannot_see_is_404(client, learner, written_item):
    written_item.status = ItemStatus.RETIRED
    written_item.save(update_fields=["status"])
    force_login_verified(client, learner)

    assert client.get(_question_url(written_item)).status_code == 404


def test_the_polled_panel_and_the_page_use_a_fixed_number_of_queries(
    client, learner, written_item, submit, django_assert_num_queries
):
    pending = _queued(learner, written_item, token="pending")
    marked = submit(learner, written_item, token="marked")
    force_login_verified(client, learner)
    client.get(_url("answer-panel", pending))

    # Session and user, then the answer and its newest mark.
    with django_assert_num_queries(4):
        client.get(_url("answer-panel", pending), HTTP_HX_REQUEST="true")
    # ... and for a marked answer its newest moderation and the learner's flag.
    with django_assert_num_queries(6):
        client.get(_url("answer-detail", marked))


def test_a_written_item_in_a_practice_session_shows_the_marking_panel(
    client, learner, written_item, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from revisewise.practice.models import PracticeSession

    session = PracticeSession.objects.create(
        learner=learner,
        scope="unit",
        unit=written_item.unit,
        item_order=[str(written_item.uuid)],
        started_at=timezone.now(),
    )
    kwargs = {"session_uuid": session.uuid, "number": 1}
    force_login_verified(client, learner)
    page = client.get(reverse("practice:session-item", kwargs=kwargs)).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("practice:answer-submit", kwargs=kwargs),
            {"response": GOOD_WRITTEN_ANSWER, "token": token},
        )
    html = client.get(reverse("practice:session-item", kwargs=kwargs)).content.decode()

    answer = WrittenAnswer.objects.get()
    assert answer.status == MarkingStatus.MARKED
    assert "Mark and feedback" in html
    assert '<ol class="marking-points">' in html
    assert f'href="{_url("answer-detail", answer)}"' in html
    assert 'id="next-link"' in html


def test_every_span_that_covered_a_point_is_highlighted_and_old_marks_keep_their_one(
    learner, written_item, submit
):
    from revisewise.marking.selectors import written_answer_feedback

    text = "I would say sorry first. Then I would look into why it was late. Then I ring back."
    answer = submit(learner, written_item, text=text)
    mark = answer.marks.get()
    first, last = "I would say sorry first.", "Then I ring back."
    spans = [
        {"start": text.index(piece), "end": text.index(piece) + len(piece), "text": piece}
        for piece in (first, last)
    ]
    verdict = {**mark.result["point_verdicts"][0], "verdict": "met", "evidence": spans[0]}
    mark.result["point_verdicts"][0] = {**verdict, "evidence_spans": spans}
    mark.save(update_fields=["result"])

    marked = {s.text for s in written_answer_feedback(answer=answer).segments if "1" in s.marks}

    assert {first, last} <= marked
    mark.result["point_verdicts"][0] = verdict  # a 2.0.0 mark: no evidence_spans
    mark.save(update_fields=["result"])
    marked = {s.text for s in written_answer_feedback(answer=answer).segments if "1" in s.marks}
    assert first in marked
    assert last not in marked
