"""A tutor marks, point by point, an answer the engine could not mark."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from revisewise.accounts.testing import force_login_verified
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import MarkingStatus, PersonMark
from revisewise.moderation.tests.factories import (
    POINTS,
    MachineMarkFactory,
    WrittenAnswerFactory,
    WrittenItemFactory,
)
from revisewise.practice.models import Attempt
from revisewise.scheduling.models import ReviewLog

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
CHECKED = r'<input type="radio" name="(point_\d)_verdict" value="(\w+)"[^>]*checked'


def needs_person(learner, **kwargs):
    return WrittenAnswerFactory.create(
        attempt__session__learner=learner,
        status=MarkingStatus.NEEDS_PERSON,
        marked_at=None,
        marking_attempts=3,
        last_error="RuntimeError: the engine fell over",
        **kwargs,
    )


def url(answer) -> str:
    return reverse("moderation:answer-mark", kwargs={"answer_uuid": answer.uuid})


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def verdicts(*chosen: str, **extra: str) -> dict[str, str]:
    data = {f"point_{i}_verdict": v for i, v in enumerate(chosen)}
    return {**data, "comment": "You apologised well.", **extra}


def test_only_the_learners_tutor_or_centre_admin_may_open_it(
    learner, tutor, centre_admin, other_tutor, other_centre_admin, other_learner
):
    answer = needs_person(learner)

    codes = {
        name: signed_in(person).get(url(answer)).status_code
        for name, person in {
            "tutor": tutor,
            "centre admin": centre_admin,
            "learner": learner,
            "other tutor": other_tutor,
            "other centre admin": other_centre_admin,
            "other learner": other_learner,
        }.items()
    }

    assert codes == {
        "tutor": 200,
        "centre admin": 200,
        "learner": 404,
        "other tutor": 404,
        "other centre admin": 404,
        "other learner": 404,
    }


def test_another_centres_tutor_cannot_mark_it_either(learner, other_tutor):
    answer = needs_person(learner)

    response = signed_in(other_tutor).post(url(answer), verdicts("met", "met", "met"))

    assert response.status_code == 404
    assert not PersonMark.objects.exists()


def test_it_shows_one_unset_fieldset_per_point_and_records_the_view(tutor, learner, cohort):
    answer = needs_person(learner, text=f"I would stay calm. {SCRIPT}")

    response = signed_in(tutor).get(url(answer))

    html = response.content.decode()
    assert html.count("<fieldset") == 3
    assert "Marking point 2: Apologises sincerely and personally." in html
    assert not re.findall(r'<input type="radio"[^>]*checked', html)
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    assert "RuntimeError" not in html
    for index in range(3):
        assert f'<label for="id_point_{index}_comment">Comment on this point</label>' in html
        assert f'<label for="id_point_{index}_verdict_0"><input type="radio"' in html
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_VIEWED)
    assert (event.actor, event.subject, event.centre) == (tutor, learner, cohort.centre)


def test_the_tutors_mark_is_saved_graded_and_shown_with_a_form_to_revise_it(tutor, learner):
    answer = needs_person(learner)
    client = signed_in(tutor)

    response = client.post(
        url(answer), verdicts("met", "partly_met", "not_met", point_2_comment="Say what is next.")
    )

    assert response.status_code == 302
    person_mark = PersonMark.objects.get()
    assert (person_mark.label, person_mark.score) == ("partially_correct", 0.5)
    assert person_mark.point_verdicts[2] == {
        "point": POINTS[2],
        "verdict": "not_met",
        "comment": "Say what is next.",
    }
    assert person_mark.comment == "You apologised well."
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED_BY_PERSON
    assert Attempt.objects.get(pk=answer.attempt_id).score == 0.5
    assert ReviewLog.objects.count() == 1
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_MARKED)
    assert event.detail["kind"] == "person_mark"
    assert event.detail["answer"] == str(answer.uuid)
    page = client.get(url(answer)).content.decode()
    assert "Mark saved. The learner now sees your mark." in page
    assert "Current mark: Partially correct, 50%" in page
    assert "Comment: Say what is next." in page
    # The form now revises that mark, starting from it.
    assert re.findall(CHECKED, page) == [
        ("point_0", "met"),
        ("point_1", "partly_met"),
        ("point_2", "not_met"),
    ]
    assert f'name="revises" value="{person_mark.uuid}"' in page
    assert ">Revise this mark</button>" in page
    assert "Save mark</button>" not in page


def test_a_missing_verdict_is_summarised_with_a_link_to_the_point_and_nothing_is_stored(
    tutor, learner
):
    answer = needs_person(learner)

    response = signed_in(tutor).post(
        url(answer), {"point_0_verdict": "met", "point_2_verdict": "met", "comment": "Kept."}
    )

    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('class="error-summary"') :]
    assert 'role="alert"' in html
    assert (
        '<a href="#id_point_1_verdict_0">Marking point 2: Choose met, partly met or not met.</a>'
        in summary
    )
    assert 'aria-describedby="id_point_1_verdict-error"' in html
    # What the tutor already chose and wrote stays.
    checked = re.findall(
        r'<input type="radio" name="(point_\d)_verdict" value="(\w+)"[^>]*checked', html
    )
    assert checked == [("point_0", "met"), ("point_2", "met")]
    assert "Kept." in html
    assert not PersonMark.objects.exists()
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.NEEDS_PERSON


def test_a_second_tutor_is_shown_the_first_tutors_mark_and_keeps_what_they_chose(
    tutor, centre_admin, learner
):
    answer = needs_person(learner)
    signed_in(tutor).post(url(answer), verdicts("met", "met", "met"))

    client = signed_in(centre_admin)
    response = client.post(url(answer), verdicts("not_met", "not_met", "not_met"))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Another tutor changed this mark while you were working on it" in html
    assert f"{escape(tutor)} marked it correct" in html
    assert "Current mark: Correct, 100%" in html
    assert re.findall(CHECKED, html) == [(f"point_{i}", "not_met") for i in range(3)]
    assert PersonMark.objects.get().label == "correct"
    assert ReviewLog.objects.count() == 1


def test_an_answer_the_learner_sent_back_to_the_engine_cannot_be_marked(tutor, learner):
    answer = needs_person(learner)
    answer.status = MarkingStatus.QUEUED
    answer.save(update_fields=["status"])
    client = signed_in(tutor)

    html = client.get(url(answer)).content.decode()
    response = client.post(url(answer), verdicts("met", "met", "met"))

    assert "the learner has asked the marking engine to try again" in html
    assert "<fieldset" not in html
    assert response.status_code == 302
    assert not PersonMark.objects.exists()


def test_an_answer_the_engine_marked_after_all_goes_to_its_moderation(tutor, learner):
    mark = MachineMarkFactory.create(answer__attempt__session__learner=learner)

    response = signed_in(tutor).get(url(mark.answer))

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:mark", kwargs={"mark_uuid": mark.uuid})


def test_an_item_without_marking_points_is_marked_as_a_whole(tutor, learner):
    item = WrittenItemFactory.create(payload={"model_answer": "Stay calm."})
    answer = needs_person(learner, attempt__item=item)
    client = signed_in(tutor)

    missing = client.post(url(answer), {"comment": ""})
    saved = client.post(url(answer), {"label": "incorrect", "comment": ""})

    assert missing.status_code == 400
    assert "Choose a mark for the answer." in missing.content.decode()
    assert saved.status_code == 302
    assert (PersonMark.objects.get().label, PersonMark.objects.get().score) == ("incorrect", 0.0)


def test_the_queue_links_each_unmarked_answer_to_its_marking_page(tutor, learner):
    answer = needs_person(learner)

    html = signed_in(tutor).get(reverse("moderation:queue")).content.decode()

    assert f'href="{url(answer)}"' in html
    assert "mark them yourself" in html


# Revising a tutor's mark --------------------------------------------------------------------


def marked(learner, tutor, *chosen: str) -> PersonMark:
    answer = needs_person(learner)
    assert signed_in(tutor).post(url(answer), verdicts(*chosen)).status_code == 302
    return PersonMark.objects.get(answer=answer)


def test_a_tutor_revises_the_mark_and_the_page_shows_the_revision_and_the_history(
    tutor, centre_admin, learner
):
    first = marked(learner, tutor, "not_met", "not_met", "not_met")
    answer = first.answer
    client = signed_in(centre_admin)

    response = client.post(
        url(answer),
        verdicts("met", "met", "met", comment="Read again: all there.")
        | {"revises": str(first.uuid)},
    )

    assert response.status_code == 302
    revision = PersonMark.objects.get(revises=first)
    assert (revision.label, revision.tutor, revision.comment) == (
        "correct",
        centre_admin,
        "Read again: all there.",
    )
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is True
    assert (
        ReviewLog.objects.current().get().rating
        > ReviewLog.objects.get(superseded_by__isnull=False).rating
    )
    page = client.get(url(answer)).content.decode()
    assert "Mark revised. The learner now sees your revised mark." in page
    assert "Current mark: Correct, 100%" in page
    assert f"Revised by {escape(centre_admin)} on" in page
    assert f'name="revises" value="{revision.uuid}"' in page
    earlier = page[page.index("Earlier marks") :]
    assert "Incorrect, 0%" in earlier
    assert f"By {escape(tutor)} on" in earlier


def test_a_stale_revision_is_shown_again_with_the_newest_mark_and_nothing_typed_is_lost(
    tutor, centre_admin, learner
):
    first = marked(learner, tutor, "not_met", "not_met", "not_met")
    answer = first.answer
    # Both tutors opened the page on the first mark; the tutor revises first.
    signed_in(tutor).post(url(answer), verdicts("met", "met", "met") | {"revises": str(first.uuid)})
    newest = PersonMark.objects.get(revises=first)
    client = signed_in(centre_admin)
    typed = verdicts("met", "partly_met", "not_met", point_1_comment="Half an apology.") | {
        "revises": str(first.uuid)
    }

    response = client.post(url(answer), typed)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Another tutor changed this mark while you were working on it" in html
    assert f"{escape(tutor)} marked it correct on" in html
    assert "Current mark: Correct, 100%" in html
    assert re.findall(CHECKED, html) == [
        ("point_0", "met"),
        ("point_1", "partly_met"),
        ("point_2", "not_met"),
    ]
    assert "Half an apology." in html
    assert "You apologised well." in html
    assert PersonMark.objects.filter(answer=answer).count() == 2
    # The form shown again now revises the newest mark: saving it again is a deliberate revision.
    assert f'name="revises" value="{newest.uuid}"' in html
    again = client.post(url(answer), typed | {"revises": str(newest.uuid)})
    assert again.status_code == 302
    assert PersonMark.objects.get(revises=newest).label == "partially_correct"


def test_another_centres_tutor_and_the_learner_cannot_revise_it(
    tutor, other_tutor, other_centre_admin, learner
):
    first = marked(learner, tutor, "not_met", "not_met", "not_met")
    revision = verdicts("met", "met", "met") | {"revises": str(first.uuid)}

    for person in (other_tutor, other_centre_admin, learner):
        client = signed_in(person)
        assert client.get(url(first.answer)).status_code == 404
        assert client.post(url(first.answer), revision).status_code == 404

    assert PersonMark.objects.get() == first
    assert Attempt.objects.get(pk=first.answer.attempt_id).is_correct is False


def test_the_revise_form_starts_from_the_current_mark(tutor, learner):
    first = marked(learner, tutor, "met", "partly_met", "met")

    html = signed_in(tutor).get(url(first.answer)).content.decode()

    assert re.findall(CHECKED, html) == [
        ("point_0", "met"),
        ("point_1", "partly_met"),
        ("point_2", "met"),
    ]
    assert "You apologised well.</textarea>" in html
    assert f"Marked by {escape(tutor)} on" in html
    assert "Earlier marks" not in html
