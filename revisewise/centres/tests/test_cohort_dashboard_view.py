from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from revisewise.accounts.models import Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.centres.tests.conftest import NOW
from revisewise.scheduling.models import Card
from revisewise.scheduling.selectors import study_plan_get_for_learner
from revisewise.scheduling.services import exam_plan_set, learner_settings_update

pytestmark = pytest.mark.django_db


def _url(cohort, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("centres:cohort-dashboard", args=[cohort.uuid]) + (f"?{query}" if query else "")


def _card(learner, item, *, stability, days_ago):
    reviewed = NOW - timedelta(days=days_ago)
    return Card.objects.create(
        learner=learner,
        item=item,
        state=2,
        stability=stability,
        difficulty=5.0,
        due=reviewed + timedelta(days=stability),
        last_review=reviewed,
        review_count=1,
    )


def _row(html, name):
    match = re.search(
        rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>{re.escape(name)}</a></th>(.*?)</tr>", html, re.S
    )
    assert match, f"no row for {name}"
    return match.group(1)


@time_machine.travel(NOW, tick=False)
def test_it_shows_each_learners_mastery_per_objective(client, cohort, tutor, learner, items):
    # R(S) = 0.9 by definition of stability, and 1 straight after a review.
    _card(learner, items[0], stability=10, days_ago=10)
    _card(learner, items[2], stability=5, days_ago=0)
    _card(learner, items[3], stability=20, days_ago=20)
    newcomer = MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Ben Hughes"
    ).user
    force_login_verified(client, tutor)

    response = client.get(_url(cohort))

    assert response.status_code == 200
    heatmap = response.context["heatmap"]
    rows = {row.learner: row for row in heatmap.rows}
    first, second = (column.objective.pk for column in heatmap.columns)
    assert rows[learner].by_objective[first] == pytest.approx(0.45)
    assert rows[learner].by_objective[second] == pytest.approx(0.95)
    assert rows[learner].overall == pytest.approx(0.7)
    assert rows[newcomer].by_objective == {first: None, second: None}
    html = response.content.decode()
    amira = _row(html, "Amira Khan")
    assert '<td class="heat band-4">70%</td>' in amira
    assert '<td class="heat band-3">45%</td><td class="heat band-5">95%</td>' in amira
    ben = _row(html, "Ben Hughes")
    assert ben.count('<span class="visually-hidden">not started</span>') == 3
    assert '<th scope="colgroup" colspan="2"' in html
    assert html.count('<th scope="col" class="objective-head"') == 2


@time_machine.travel(NOW, tick=False)
def test_it_flags_learners_behind_their_exam_plan_as_the_planner_does(
    client, cohort, tutor, learner, items
):
    on_track = MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Chloe Evans"
    ).user
    qualification = cohort.qualification
    exam_plan_set(
        learner=learner, qualification=qualification, exam_date=NOW.date() + timedelta(days=2)
    )
    learner_settings_update(learner=learner, daily_capacity=1)
    exam_plan_set(
        learner=on_track, qualification=qualification, exam_date=NOW.date() + timedelta(days=60)
    )
    force_login_verified(client, tutor)

    response = client.get(_url(cohort))

    rows = {row.learner: row for row in response.context["heatmap"].rows}
    assert rows[learner].is_behind
    assert rows[learner].plan_load == 2
    assert not rows[on_track].is_behind
    for person, row in rows.items():
        plan = study_plan_get_for_learner(
            learner=person, qualification=qualification, today=NOW.date()
        )
        assert plan is not None
        assert plan.is_feasible is not row.is_behind
    assert "(needs 2 a day, plans 1)" in _row(response.content.decode(), "Amira Khan")
    assert response.context["heatmap"].behind_count == 1


@time_machine.travel(NOW, tick=False)
def test_it_flags_learners_who_have_not_practised_for_n_days(client, cohort, tutor, learner, items):
    _card(learner, items[0], stability=10, days_ago=10)
    recent = MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user
    _card(recent, items[0], stability=10, days_ago=1)
    never = MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user
    force_login_verified(client, tutor)

    week = {row.learner: row for row in client.get(_url(cohort)).context["heatmap"].rows}
    fortnight = {
        row.learner: row for row in client.get(_url(cohort, days=14)).context["heatmap"].rows
    }

    assert week[learner].is_inactive
    assert not week[recent].is_inactive
    assert week[never].is_inactive
    assert not fortnight[learner].is_inactive
    assert fortnight[never].is_inactive
    assert week[learner].last_activity == NOW - timedelta(days=10)
    assert "Not practised for 1\xa0week, 3\xa0days" in client.get(_url(cohort)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_sorts_and_filters_by_get_parameters(client, cohort, tutor, learner, items):
    _card(learner, items[0], stability=10, days_ago=10)
    strong = MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Zara Strong"
    ).user
    for item in items:
        _card(strong, item, stability=30, days_ago=0)
    force_login_verified(client, tutor)

    def names(**params):
        view = client.get(_url(cohort, **params)).context["view"]
        return [row.learner.display_name for row in view.rows]

    assert names() == ["Amira Khan", "Zara Strong"]
    assert names(sort="-mastery") == ["Zara Strong", "Amira Khan"]
    assert names(sort="mastery") == ["Amira Khan", "Zara Strong"]
    assert names(show="inactive") == ["Amira Khan"]
    assert names(show="behind") == []
    assert names(sort="nonsense", days="abc") == ["Amira Khan", "Zara Strong"]
    response = client.get(_url(cohort, days="0"))
    assert response.context["heatmap"].inactive_days == 7
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()


def test_it_shows_one_units_objectives_only(client, cohort, tutor, learner, items, unit):
    from revisewise.content.models import ItemKind
    from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
    from revisewise.practice.tests.factories import ItemFactory

    other_unit = UnitFactory.create(qualification=unit.qualification, position=2)
    objective = ContentItemFactory.create(unit=other_unit, kind=ItemKind.OBJECTIVE)
    ItemFactory.create(unit=other_unit, objective=objective)
    force_login_verified(client, tutor)

    everything = client.get(_url(cohort)).context["view"]
    one = client.get(_url(cohort, unit=other_unit.uuid)).context["view"]

    assert everything.column_count == 3
    assert [group.unit for group in one.units] == [other_unit]
    assert one.column_count == 1


def test_it_records_that_the_tutor_viewed_the_cohort(client, cohort, tutor, learner):
    force_login_verified(client, tutor)

    client.get(_url(cohort))

    event = AuditEvent.objects.get()
    assert event.actor == tutor
    assert event.action == AuditAction.COHORT_VIEWED
    assert event.centre == cohort.centre
    assert event.detail == {"cohort": str(cohort.uuid)}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("tutor", 200),
        ("centre_admin", 200),
        ("learner", 404),
        ("other_tutor", 404),
        ("other_learner", 404),
    ],
)
def test_only_the_cohorts_tutors_and_centre_admins_see_it(client, request, cohort, persona, status):
    force_login_verified(client, request.getfixturevalue(persona))

    response = client.get(_url(cohort))

    assert response.status_code == status
    assert AuditEvent.objects.count() == (1 if status == 200 else 0)


def test_it_sends_anonymous_visitors_to_sign_in(client, cohort):
    response = client.get(_url(cohort))

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_it_escapes_learner_names_and_shows_the_moderation_slot(client, cohort, tutor, items):
    MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="<script>alert(1)</script>"
    )
    force_login_verified(client, tutor)

    html = client.get(_url(cohort)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Marks awaiting moderation" in html
    assert f'href="/moderation/?cohort={cohort.uuid}"' in html


def test_it_works_with_enforced_csrf_checks_for_reading(cohort, tutor):
    client = Client(enforce_csrf_checks=True)
    force_login_verified(client, tutor)

    assert client.get(_url(cohort)).status_code == 200


def _percent(text):
    """Return "37%" as 37, "under 1%" as 0.5 and "over 99%" as 99.5."""
    number = float(re.sub(r"[^0-9]", "", text))
    return (
        number + 0.5
        if text.startswith("over")
        else number / 2
        if text.startswith("under")
        else number
    )


@time_machine.travel(NOW, tick=False)
def test_it_shows_readiness_weakest_first_and_marks_awaiting_moderation(
    client, cohort, tutor, learner, items
):
    from revisewise.moderation.services import moderation_record
    from revisewise.moderation.tests.factories import mark_for

    strong = MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Ben Hughes"
    ).user
    for item in items:
        _card(strong, item, stability=60, days_ago=1)
    _card(learner, items[0], stability=1, days_ago=10)
    waiting = [mark_for(learner), mark_for(learner)]
    moderated = mark_for(strong)
    moderation_record(
        tutor=tutor,
        mark=moderated,
        point_verdicts=[
            {"point": verdict["point"], "verdict": verdict["verdict"], "comment": ""}
            for verdict in moderated.result["point_verdicts"]
        ],
        comment="",
    )
    force_login_verified(client, tutor)

    html = client.get(_url(cohort)).content.decode()
    readiness_url = reverse("centres:cohort-readiness", args=[cohort.uuid])
    assert f'hx-get="{readiness_url}"' in html
    panel = client.get(readiness_url, headers={"HX-Request": "true"}).content.decode()
    page = client.get(readiness_url).content.decode()

    assert "<h1>Readiness for the assessment</h1>" in page
    assert "<html" not in panel
    readiness = panel
    # Amira (one weak card) is less likely to pass than Ben (every item well known): first.
    assert readiness.index("Amira Khan") < readiness.index("Ben Hughes")
    amira, ben = _row(panel, "Amira Khan"), _row(panel, "Ben Hughes")
    p_pass = [_percent(re.findall(r"<td>([^<]*%)</td>", row)[0]) for row in (amira, ben)]
    assert p_pass[0] < p_pass[1]
    assert amira.rstrip().endswith(f"<td>{len(waiting)}</td>")
    assert ben.rstrip().endswith("<td>0</td>")
    moderation = html.split('id="moderation-heading"', 1)[1]
    assert "2 written answers from this cohort are waiting" in moderation
    assert "agreed with tutors on 100%" in moderation
    assert f"?cohort={cohort.uuid}" in moderation


@pytest.mark.parametrize("who", ["learner", "other_tutor", "other_learner"])
def test_only_the_cohorts_tutors_see_its_readiness(client, cohort, who, request):
    force_login_verified(client, request.getfixturevalue(who))

    response = client.get(reverse("centres:cohort-readiness", args=[cohort.uuid]))

    assert response.status_code == 404
