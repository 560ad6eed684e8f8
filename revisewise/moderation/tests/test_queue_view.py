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
from revisewise.marking.models import MarkingStatus
from revisewise.moderation.services import moderation_record
from revisewise.moderation.tests.factories import (
    POINTS,
    MarkFlagFactory,
    WrittenAnswerFactory,
    learner_in,
    mark_for,
)

URL = reverse("moderation:queue")
SCRIPT = "<script>alert('x')</script>"


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def all_met(tutor, mark):
    return moderation_record(
        tutor=tutor,
        mark=mark,
        point_verdicts=[{"point": p, "verdict": "met", "comment": ""} for p in POINTS],
        comment="",
    )


def test_it_lists_flagged_then_waiting_then_moderated_answers(tutor, learner):
    moderated = mark_for(learner)
    all_met(tutor, moderated)
    waiting = mark_for(learner)
    flagged = mark_for(learner)
    MarkFlagFactory.create(mark=flagged)
    response = signed_in(tutor).get(URL)
    assert response.status_code == 200
    entries = response.context["queue"].entries
    assert [e.mark for e in entries] == [flagged, waiting, moderated]
    html = response.content.decode()
    assert reverse("moderation:mark", kwargs={"mark_uuid": flagged.uuid}) in html
    assert "Flagged by the learner" in html


def test_a_flag_answered_by_a_moderation_is_no_longer_open(tutor, learner):
    mark = mark_for(learner)
    MarkFlagFactory.create(mark=mark)
    all_met(tutor, mark)
    response = signed_in(tutor).get(URL, {"flagged": "on"})
    assert response.context["queue"].entries == []


def test_it_filters_by_cohort_and_by_flag(tutor, learner, cohort):
    second_cohort = CohortFactory.create(centre=cohort.centre, name="Second")
    MembershipFactory.create(user=tutor, cohort=second_cohort, role=Role.TUTOR)
    second = learner_in(second_cohort)
    mine, theirs = mark_for(learner), mark_for(second)
    MarkFlagFactory.create(mark=theirs)
    client = signed_in(tutor)
    only_first = client.get(URL, {"cohort": str(cohort.uuid)}).context["queue"].entries
    assert [e.mark for e in only_first] == [mine]
    flagged = client.get(URL, {"flagged": "on"}).context["queue"].entries
    assert [e.mark for e in flagged] == [theirs]


def test_a_cohort_of_another_centre_is_refused_and_shows_only_the_tutors_own(
    tutor, learner, other_cohort, other_learner
):
    mark_for(other_learner)
    mine = mark_for(learner)
    response = signed_in(tutor).get(URL, {"cohort": str(other_cohort.uuid)})
    assert response.status_code == 200
    assert [e.mark for e in response.context["queue"].entries] == [mine]
    assert "not one of yours" in response.content.decode()


def test_the_other_centres_tutor_sees_none_of_the_learners_answers(other_tutor, learner):
    mark = mark_for(learner)
    response = signed_in(other_tutor).get(URL)
    assert response.status_code == 200
    assert response.context["queue"].entries == []
    assert str(mark.uuid) not in response.content.decode()
    assert escape(learner) not in response.content.decode()


@pytest.mark.parametrize("persona", ["learner", "other_learner"])
def test_learners_get_no_moderation_page(request, persona, learner):
    mark_for(learner)
    assert signed_in(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_the_agreement_panel_gives_percent_kappa_n_and_what_kappa_means(tutor, learner):
    all_met(tutor, mark_for(learner))
    html = signed_in(tutor).get(URL).content.decode()
    # Machine: met, partly met, not met; tutor: met three times: 1 of 3 points agree.
    assert "Marking points: 33.3% agreement over 3 points" in html
    assert "Cohen's kappa 0.0 (n = 3)" in html
    assert "1 is perfect agreement, 0 is no better than guessing" in html
    assert "slight agreement" in html


def test_the_htmx_filter_swaps_only_the_results(tutor, learner):
    mark_for(learner)
    response = signed_in(tutor).get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html
    assert "<h1" not in html
    assert "HX-Request" in response["Vary"]


def test_the_learners_name_and_question_are_escaped(tutor, learner):
    learner.display_name = SCRIPT
    learner.save()
    mark_for(learner)
    html = signed_in(tutor).get(URL).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def _queries_for_queue(tutor) -> int:
    client = signed_in(tutor)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_queue_page_takes_the_same_few_queries_for_a_bigger_cohort(tutor, cohort):
    learners = [learner_in(cohort) for _ in range(2)]
    for learner in learners:
        all_met(tutor, mark_for(learner))
    small = _queries_for_queue(tutor)
    more = [learner_in(cohort) for _ in range(10)]
    for index, learner in enumerate(more * 3):
        mark = mark_for(learner)
        if index % 3 == 0:
            all_met(tutor, mark)
        if index % 4 == 0:
            MarkFlagFactory.create(mark=mark)
    assert _queries_for_queue(tutor) == small
    # Session, user, moderator check, queue, unmarked answers, learner ids, summary (2),
    # cohorts for the filter.
    assert small == 9


def test_answers_the_machine_could_not_mark_are_listed_for_their_tutor_only(
    tutor, other_tutor, learner
):
    answer = WrittenAnswerFactory.create(
        attempt__session__learner=learner,
        status=MarkingStatus.NEEDS_PERSON,
        marked_at=None,
        text="An answer the engine gave up on.",
    )
    link = reverse("moderation:answer-mark", kwargs={"answer_uuid": answer.uuid})
    html = signed_in(tutor).get(URL).content.decode()
    assert "Answers the machine could not mark" in html
    assert link in html
    assert link not in signed_in(other_tutor).get(URL).content.decode()
