"""The list of answers tutors marked (the engine could not), where a tutor finds one to revise.

The marks are made by the real services (`person_mark_record`, `person_mark_revise`), as the
answer page makes them, so the list reads the rows the product writes.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from revisewise.accounts.models import Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory
from revisewise.marking.models import MarkingStatus, PersonMark, WrittenAnswer
from revisewise.moderation import views
from revisewise.moderation.selectors import MarkedAnswer, person_marks_current_for_tutor
from revisewise.moderation.services import person_mark_record, person_mark_revise
from revisewise.moderation.tests.factories import (
    POINTS,
    WrittenAnswerFactory,
    learner_in,
    mark_for,
    tutor_of,
)

pytestmark = pytest.mark.django_db

URL = reverse("moderation:marked-list")
SCRIPT = "<script>alert('x')</script>"


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def rows(*verdicts: str) -> list[dict[str, str]]:
    return [
        {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=True)
    ]


def needs_person(learner, **kwargs) -> WrittenAnswer:
    return WrittenAnswerFactory.create(
        attempt__session__learner=learner,
        status=MarkingStatus.NEEDS_PERSON,
        marked_at=None,
        marking_attempts=3,
        **kwargs,
    )


def marked(tutor, learner, *verdicts: str, **kwargs) -> tuple[WrittenAnswer, PersonMark]:
    """An answer the engine gave up on, then marked by `tutor` (every point met by default)."""
    answer = needs_person(learner, **kwargs)
    mark = person_mark_record(
        tutor=tutor, answer=answer, point_verdicts=rows(*(verdicts or ("met",) * 3)), comment=""
    )
    answer.refresh_from_db()
    return answer, mark


def revise(tutor, answer, revises, *verdicts: str) -> PersonMark:
    return person_mark_revise(
        tutor=tutor,
        answer=answer,
        revises_uuid=revises.uuid,
        point_verdicts=rows(*verdicts),
        comment="",
    )


def answer_url(answer) -> str:
    return reverse("moderation:answer-mark", kwargs={"answer_uuid": answer.uuid})


def listed(response) -> list[WrittenAnswer]:
    return [entry.answer for entry in response.context["entries"]]


def test_it_lists_marked_answers_newest_mark_first_with_who_when_the_mark_and_any_revision(
    tutor, centre_admin, learner
):
    first, first_mark = marked(tutor, learner, "not_met", "not_met", "not_met")
    second, _ = marked(centre_admin, learner, "met", "partly_met", "not_met")
    revision = revise(centre_admin, first, first_mark, "met", "met", "met")

    response = signed_in(tutor).get(URL)

    assert response.status_code == 200
    entries = response.context["entries"]
    # The revision is the newest mark, so the answer it revised comes first.
    assert [e.answer for e in entries] == [first, second]
    assert [e.mark for e in entries] == [revision, second.person_marks.get()]
    assert [(e.is_revised, e.marks_count) for e in entries] == [(True, 2), (False, 1)]
    html = response.content.decode()
    assert html.index(answer_url(first)) < html.index(answer_url(second))
    assert "Correct, 100%" in html
    assert "Partially correct, 50%" in html
    assert "Revised (2 marks in all)" in html
    assert escape(str(centre_admin)) in html
    assert revision.created_at.isoformat() in html


def test_it_lists_only_answers_tutors_marked(tutor, learner):
    waiting = needs_person(learner)
    machine_marked = mark_for(learner).answer
    answer, _ = marked(tutor, learner)

    response = signed_in(tutor).get(URL)

    assert listed(response) == [answer]
    html = response.content.decode()
    assert answer_url(waiting) not in html
    assert str(machine_marked.uuid) not in html


def test_a_chain_of_revisions_is_one_row_and_a_learner_in_two_cohorts_appears_once(
    tutor, cohort, learner
):
    second_cohort = CohortFactory.create(centre=cohort.centre, name="Second")
    MembershipFactory.create(user=tutor, cohort=second_cohort, role=Role.TUTOR)
    MembershipFactory.create(user=learner, cohort=second_cohort, role=Role.LEARNER)
    answer, first = marked(tutor, learner, "not_met", "not_met", "not_met")
    second = revise(tutor, answer, first, "met", "not_met", "not_met")
    third = revise(tutor, answer, second, "met", "met", "not_met")

    entries = [MarkedAnswer.of(m) for m in person_marks_current_for_tutor(tutor=tutor)]

    assert [(e.answer, e.mark, e.marks_count, e.is_revised) for e in entries] == [
        (answer, third, 3, True)
    ]


def test_only_the_learners_tutors_and_centre_admin_see_the_marked_answers(
    tutor, centre_admin, learner, other_tutor, other_centre_admin, other_learner, cohort
):
    answer, _ = marked(tutor, learner)
    colleague_elsewhere = tutor_of(CohortFactory.create(centre=cohort.centre, name="Another"))

    seen = {
        name: listed(signed_in(person).get(URL))
        for name, person in {
            "tutor": tutor,
            "centre admin": centre_admin,
            "other tutor": other_tutor,
            "other centre admin": other_centre_admin,
            "tutor of another cohort": colleague_elsewhere,
        }.items()
    }

    assert seen == {
        "tutor": [answer],
        "centre admin": [answer],
        "other tutor": [],
        "other centre admin": [],
        "tutor of another cohort": [],
    }
    html = signed_in(other_tutor).get(URL).content.decode()
    assert str(answer.uuid) not in html
    assert escape(str(learner)) not in html
    assert "No answers marked by tutors to show." in html


@pytest.mark.parametrize("persona", ["learner", "other_learner"])
def test_learners_get_no_marked_answers_page(request, persona, tutor, learner):
    marked(tutor, learner)
    assert signed_in(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(tutor, learner):
    marked(tutor, learner)
    response = Client().get(URL)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_it_filters_by_cohort_and_to_answers_the_tutor_marked(tutor, centre_admin, cohort, learner):
    second_cohort = CohortFactory.create(centre=cohort.centre, name="Second")
    MembershipFactory.create(user=tutor, cohort=second_cohort, role=Role.TUTOR)
    second_learner = learner_in(second_cohort)
    mine, _ = marked(tutor, learner)
    theirs, theirs_first = marked(centre_admin, second_learner)
    revised_by_me, first = marked(centre_admin, learner)
    revise(tutor, revised_by_me, first, "met", "met", "not_met")
    revise(centre_admin, theirs, theirs_first, "met", "not_met", "not_met")
    client = signed_in(tutor)

    assert listed(client.get(URL, {"cohort": str(second_cohort.uuid)})) == [theirs]
    assert listed(client.get(URL, {"mine": "on"})) == [revised_by_me, mine]
    assert listed(client.get(URL, {"cohort": str(cohort.uuid), "mine": "on"})) == [
        revised_by_me,
        mine,
    ]
    assert listed(client.get(URL)) == [theirs, revised_by_me, mine]


def test_a_cohort_of_another_centre_is_refused_and_shows_only_the_tutors_own(
    tutor, learner, other_cohort, other_tutor, other_learner
):
    marked(other_tutor, other_learner)
    mine, _ = marked(tutor, learner)

    response = signed_in(tutor).get(URL, {"cohort": str(other_cohort.uuid)})

    assert response.status_code == 200
    assert listed(response) == [mine]
    assert "not one of yours" in response.content.decode()


def test_it_pages_through_every_marked_answer_newest_first_keeping_the_filter(
    monkeypatch, tutor, cohort, learner
):
    monkeypatch.setattr(views, "MARKED_PAGE_SIZE", 2)
    answers = [marked(tutor, learner)[0] for _ in range(5)]
    client = signed_in(tutor)
    filtered = {"cohort": str(cohort.uuid)}

    pages = [client.get(URL, {**filtered, "page": number}) for number in (1, 2, 3)]

    assert [listed(page) for page in pages] == [answers[4:2:-1], answers[2:0:-1], answers[:1]]
    first, middle, last = (page.content.decode() for page in pages)
    assert "5 answers marked by tutors (showing 1 to 2)" in first
    assert "Page 2 of 3" in middle
    assert f'rel="next" href="?cohort={cohort.uuid}&amp;page=3"' in middle
    assert f'rel="prev" href="?cohort={cohort.uuid}&amp;page=1"' in middle
    assert 'rel="next"' not in last
    # A page past the end, or not a number, shows the last or the first page, as the audit
    # log does (Paginator.get_page).
    assert listed(client.get(URL, {"page": 99})) == answers[:1]
    assert listed(client.get(URL, {"page": "x"})) == answers[4:2:-1]


def test_a_short_list_has_no_pager(tutor, learner):
    marked(tutor, learner)
    html = signed_in(tutor).get(URL).content.decode()
    assert "1 answer marked by a tutor" in html
    assert 'class="pager"' not in html


def test_the_learners_name_and_question_are_escaped(tutor, learner):
    learner.display_name = SCRIPT
    learner.save()
    marked(tutor, learner, attempt__item__stem=SCRIPT)
    html = signed_in(tutor).get(URL).content.decode()
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;") >= 2


def test_a_mark_by_a_tutor_who_has_left_says_so(tutor, centre_admin, learner):
    answer, _ = marked(centre_admin, learner)
    centre_admin.delete()
    html = signed_in(tutor).get(URL).content.decode()
    assert answer_url(answer) in html
    assert "a former tutor" in html


def _queries_for_list(tutor, **params) -> int:
    client = signed_in(tutor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
        assert response.status_code == 200
    assert response.context["entries"]
    return len(captured)


def test_the_page_takes_the_same_few_queries_for_more_answers_and_revisions(
    monkeypatch, tutor, centre_admin, cohort
):
    monkeypatch.setattr(views, "MARKED_PAGE_SIZE", 10)
    for learner in [learner_in(cohort) for _ in range(2)]:
        marked(tutor, learner)
    small = _queries_for_list(tutor)
    for index, learner in enumerate([learner_in(cohort) for _ in range(6)] * 2):
        answer, first = marked(tutor if index % 2 else centre_admin, learner)
        if index % 3 == 0:
            revise(tutor, answer, first, "met", "met", "not_met")
    assert _queries_for_list(tutor) == small
    assert _queries_for_list(tutor, page=2, mine="on") == small
    # Session, user, moderator check, count, the page's marks (answer, learner, question and
    # tutor joined), cohorts for the filter.
    assert small == 6


def test_the_moderation_queue_links_to_the_marked_answers(tutor, learner):
    needs_person(learner)
    html = signed_in(tutor).get(reverse("moderation:queue")).content.decode()
    assert f'href="{URL}"' in html
    assert "Once marked, an answer moves to" in html
    assert 'aria-current="page">Answers to moderate' in html


def test_a_marked_answers_page_leads_back_to_the_marked_answers(tutor, learner):
    answer, _ = marked(tutor, learner)
    waiting = needs_person(learner)
    client = signed_in(tutor)
    assert f'<a href="{URL}">Back to answers marked by tutors</a>' in (
        client.get(answer_url(answer)).content.decode()
    )
    assert "Back to moderation" in client.get(answer_url(waiting)).content.decode()
