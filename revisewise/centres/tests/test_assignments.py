from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.centres.models import Assignment
from revisewise.centres.selectors import assignment_list_for_learner
from revisewise.centres.services import assignment_create, assignment_session_start
from revisewise.centres.tests.conftest import NOW
from revisewise.centres.tests.factories import AssignmentFactory
from revisewise.practice.models import PracticeSession
from revisewise.practice.services import attempt_submit
from revisewise.practice.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def _create_url(cohort):
    return reverse("centres:assignment-create", args=[cohort.uuid])


def _post(client, cohort, **fields):
    data = {"title": "Revise complaints", "due_date": (TODAY + timedelta(days=7)).isoformat()}
    data.update(fields)
    return client.post(_create_url(cohort), data)


def _answer_all(learner, session, *, now):
    for position in range(session.item_count):
        attempt_submit(
            learner=learner,
            session=session,
            position=position,
            response="wrong",
            client_token=f"{session.uuid}-{position}",
            duration_ms=None,
            now=now,
        )


@time_machine.travel(NOW, tick=False)
def test_a_tutor_sets_a_unit_assignment_from_the_cohort_page(client, cohort, tutor, unit, items):
    force_login_verified(client, tutor)

    response = _post(client, cohort, unit=str(unit.uuid))

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.cohort, assignment.set_by, assignment.unit) == (cohort, tutor, unit)
    assert assignment.due_date == TODAY + timedelta(days=7)
    event = AuditEvent.objects.get(action=AuditAction.ASSIGNMENT_SET)
    assert event.actor == tutor
    assert event.detail["assignment"] == str(assignment.uuid)
    page = client.get(response["Location"]).content.decode()
    assert "Revise complaints" in page
    assert "The assignment is set." in page


@time_machine.travel(NOW, tick=False)
def test_a_tutor_sets_an_assignment_of_chosen_questions(client, cohort, tutor, items):
    force_login_verified(client, tutor)

    _post(client, cohort, items=[str(items[0].uuid), str(items[3].uuid)])

    assert set(Assignment.objects.get().items.all()) == {items[0], items[3]}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"due_date": "2026-03-01"}, "Choose a due date from today onwards."),
        ({"due_date": "2027-06-01"}, "Choose a due date within the next year."),
        ({"due_date": "not a date"}, "Enter a valid date."),
        ({}, "Choose a unit, or choose at least one question."),
    ],
)
def test_it_explains_what_is_wrong_and_keeps_what_was_typed(
    client, cohort, tutor, unit, items, fields, message
):
    force_login_verified(client, tutor)

    response = _post(client, cohort, **{"title": "Keep this title", **fields})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Assignment.objects.count() == 0
    if "title" not in fields:
        assert 'value="Keep this title"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_unit_and_questions_together(client, cohort, tutor, unit, items):
    force_login_verified(client, tutor)

    response = _post(client, cohort, unit=str(unit.uuid), items=[str(items[0].uuid)])

    assert response.status_code == 200
    assert "Choose a unit or some questions, not both." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_offers_only_the_cohorts_qualifications_content(client, cohort, tutor, items):
    foreign = ItemFactory.create()
    force_login_verified(client, tutor)

    response = _post(client, cohort, items=[str(foreign.uuid)])

    assert response.status_code == 200
    assert Assignment.objects.count() == 0
    with pytest.raises(ValidationError) as error:
        assignment_create(
            tutor=tutor, cohort=cohort, title="x", due_date=TODAY, today=TODAY, items=[foreign]
        )
    assert "items" in error.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_the_title_is_escaped_everywhere(client, cohort, tutor, learner, unit, items):
    force_login_verified(client, tutor)
    script = "<script>alert('x')</script>"
    _post(client, cohort, title=script, unit=str(unit.uuid))
    learner_client = Client()
    learner_client.force_login(learner)

    pages = [
        client.get(reverse("centres:cohort-dashboard", args=[cohort.uuid])).content.decode(),
        client.get(reverse("centres:learner-detail", args=[learner.uuid])).content.decode(),
        learner_client.get(reverse("practice:home")).content.decode(),
    ]

    for html in pages:
        assert script not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("learner", 404), ("other_tutor", 404), ("other_learner", 404), ("centre_admin", 302)],
)
@time_machine.travel(NOW, tick=False)
def test_only_the_cohorts_staff_can_set_assignments(
    client, request, cohort, unit, items, persona, status
):
    force_login_verified(client, request.getfixturevalue(persona))

    response = _post(client, cohort, unit=str(unit.uuid))

    assert response.status_code == status
    assert Assignment.objects.count() == (1 if status == 302 else 0)


@time_machine.travel(NOW, tick=False)
def test_posts_need_a_csrf_token(cohort, tutor, learner, unit, items):
    assignment = AssignmentFactory.create(cohort=cohort, unit=unit, due_date=TODAY)
    tutor_client = Client(enforce_csrf_checks=True)
    force_login_verified(tutor_client, tutor)
    learner_client = Client(enforce_csrf_checks=True)
    learner_client.force_login(learner)

    create = tutor_client.post(_create_url(cohort), {"title": "x", "unit": str(unit.uuid)})
    retire = tutor_client.post(reverse("centres:assignment-retire", args=[assignment.uuid]))
    start = learner_client.post(reverse("centres:assignment-start", args=[assignment.uuid]))

    assert (create.status_code, retire.status_code, start.status_code) == (403, 403, 403)
    assert Assignment.objects.count() == 1
    assert PracticeSession.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_tutor_withdraws_an_assignment_and_learners_no_longer_see_it(
    client, cohort, tutor, learner, other_tutor, unit, items
):
    assignment = AssignmentFactory.create(cohort=cohort, unit=unit, due_date=TODAY)
    force_login_verified(client, other_tutor)
    assert (
        client.post(reverse("centres:assignment-retire", args=[assignment.uuid])).status_code == 404
    )
    assert assignment_list_for_learner(learner=learner, today=TODAY)
    force_login_verified(client, tutor)

    client.post(reverse("centres:assignment-retire", args=[assignment.uuid]))

    assignment.refresh_from_db()
    assert assignment.retired_at == NOW
    assert assignment_list_for_learner(learner=learner, today=TODAY) == []


def test_learners_see_only_their_own_cohorts_assignments(
    cohort, learner, other_learner, unit, items
):
    AssignmentFactory.create(cohort=cohort, unit=unit, due_date=TODAY)

    assert len(assignment_list_for_learner(learner=learner, today=TODAY)) == 1
    assert assignment_list_for_learner(learner=other_learner, today=TODAY) == []


def _entry(learner, assignment):
    listed = assignment_list_for_learner(learner=learner, today=TODAY)
    return next(entry for entry in listed if entry.assignment == assignment)


def _answer_first(learner, assignment, *, at):
    with time_machine.travel(at, tick=False):
        session = assignment_session_start(learner=learner, assignment=assignment, now=at)
        attempt_submit(
            learner=learner,
            session=session,
            position=0,
            response="x",
            client_token=str(at),
            duration_ms=None,
            now=at,
        )
    return session


def test_completion_is_derived_from_answers_given_since_it_was_set(cohort, learner, unit, items):
    earlier = NOW - timedelta(days=3)
    with time_machine.travel(earlier, tick=False):
        unit_work = AssignmentFactory.create(cohort=cohort, unit=unit, due_date=TODAY)
        _answer_all(
            learner,
            assignment_session_start(learner=learner, assignment=unit_work, now=earlier),
            now=earlier,
        )
    with time_machine.travel(NOW, tick=False):
        chosen = AssignmentFactory.create(
            cohort=cohort, items=[items[0], items[1]], due_date=TODAY + timedelta(days=2)
        )

    listed = assignment_list_for_learner(learner=learner, today=TODAY)
    assert [entry.assignment for entry in listed] == [chosen, unit_work]
    assert (listed[1].done, listed[1].total, listed[1].is_complete) == (4, 4, True)
    # Answers given before the assignment was set do not count towards it.
    assert (listed[0].done, listed[0].total, listed[0].is_complete) == (0, 2, False)

    first = _answer_first(learner, chosen, at=NOW + timedelta(hours=1))
    assert set(first.item_order) == {str(items[0].uuid), str(items[1].uuid)}
    entry = _entry(learner, chosen)
    assert (entry.done, entry.percent, entry.is_complete) == (1, 50, False)

    second = _answer_first(learner, chosen, at=NOW + timedelta(hours=2))
    assert second.item_order == [key for key in first.item_order if key != first.item_order[0]]
    assert _entry(learner, chosen).is_complete


def test_a_finished_assignment_leaves_the_list_once_its_due_date_has_passed(
    cohort, learner, unit, items
):
    with time_machine.travel(NOW, tick=False):
        chosen = AssignmentFactory.create(cohort=cohort, items=[items[0]], due_date=TODAY)
    _answer_first(learner, chosen, at=NOW + timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        unfinished = AssignmentFactory.create(cohort=cohort, items=[items[1]], due_date=TODAY)

    assert len(assignment_list_for_learner(learner=learner, today=TODAY)) == 2
    [overdue] = assignment_list_for_learner(learner=learner, today=TODAY + timedelta(days=1))
    assert overdue.assignment == unfinished
    assert overdue.is_overdue


@time_machine.travel(NOW, tick=False)
def test_the_start_button_starts_a_session_on_the_assignment(
    client, cohort, learner, other_learner, unit, items
):
    assignment = AssignmentFactory.create(cohort=cohort, items=[items[2]], due_date=TODAY)
    client.force_login(other_learner)
    assert (
        client.post(reverse("centres:assignment-start", args=[assignment.uuid])).status_code == 404
    )
    client.force_login(learner)

    home = client.get(reverse("practice:home")).content.decode()
    response = client.post(reverse("centres:assignment-start", args=[assignment.uuid]))

    assert home.index(assignment.title) < home.index("Due now")
    assert 'Start<span class="visually-hidden">: ' + assignment.title in home
    session = PracticeSession.objects.get(learner=learner)
    assert session.item_order == [str(items[2].uuid)]
    assert response["Location"] == reverse(
        "practice:session-item", kwargs={"session_uuid": session.uuid, "number": 1}
    )


@time_machine.travel(NOW, tick=False)
def test_ticked_questions_stay_ticked_when_the_form_has_an_error(client, cohort, tutor, items):
    force_login_verified(client, tutor)

    response = _post(client, cohort, due_date="not a date", items=[str(items[1].uuid)])

    html = response.content.decode()
    assert f'value="{items[1].uuid}" checked' in html
    assert f'value="{items[0].uuid}">' in html


def test_a_deleted_tutors_name_leaves_their_assignments_and_the_export_lists_them(
    cohort, tutor, unit
):
    from revisewise.centres.selectors import assignments_set_export
    from revisewise.centres.services import assignments_set_erase

    assignment = AssignmentFactory.create(cohort=cohort, set_by=tutor, unit=unit, title="Unit 1")

    [exported] = assignments_set_export(tutor=tutor)
    assignments_set_erase(tutor=tutor)

    assert exported["title"] == "Unit 1"
    assert exported["cohort"] == cohort.name
    assignment.refresh_from_db()
    assert assignment.set_by is None
    assert assignments_set_export(tutor=tutor) == []


def test_the_form_labels_every_control_and_ties_hints_to_them(client, cohort, tutor, items):
    force_login_verified(client, tutor)

    html = client.get(reverse("centres:cohort-dashboard", args=[cohort.uuid])).content.decode()

    for name in ("title", "due_date", "unit"):
        assert f'<label for="id_{name}">' in html
    assert 'aria-describedby="id_due_date_helptext"' in html
    assert 'id="id_due_date_helptext"' in html
    assert html.count('<input type="checkbox" name="items"') == len(items)
    assert 'for="filter-sort"' in html
    assert 'id="filter-sort"' in html


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_says_how_many_learners_finished_and_started_it(
    client, cohort, tutor, learner, items
):
    from revisewise.accounts.models import Role
    from revisewise.accounts.tests.factories import MembershipFactory

    MembershipFactory.create(cohort=cohort, role=Role.LEARNER)
    assignment = AssignmentFactory.create(cohort=cohort, items=[items[0], items[1]], due_date=TODAY)
    _answer_first(learner, assignment, at=NOW + timedelta(minutes=1))
    force_login_verified(client, tutor)

    html = client.get(reverse("centres:cohort-dashboard", args=[cohort.uuid])).content.decode()

    assert "Finished by 0 of 2 learners; started but not finished by 1." in html
