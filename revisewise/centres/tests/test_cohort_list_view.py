from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.models import Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("centres:cohort-list")


def test_a_tutor_sees_the_cohorts_they_tutor(client, cohort, tutor, learner, other_tutor):
    force_login_verified(client, tutor)

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["cohorts"]) == [cohort]
    assert response.context["cohorts"][0].learner_count == 1
    assert reverse("centres:cohort-dashboard", args=[cohort.uuid]) in response.content.decode()


def test_a_centre_admin_sees_every_cohort_of_their_centre(
    client, cohort, centre_admin, other_tutor
):
    sibling = CohortFactory.create(centre=cohort.centre)
    force_login_verified(client, centre_admin)

    response = client.get(URL)

    assert set(response.context["cohorts"]) == {cohort, sibling}


def test_a_tutor_of_one_cohort_does_not_see_a_sibling_cohort(client, cohort, tutor):
    CohortFactory.create(centre=cohort.centre)
    force_login_verified(client, tutor)

    assert list(client.get(URL).context["cohorts"]) == [cohort]


@pytest.mark.parametrize("persona", ["learner", "other_learner"])
def test_learners_get_404(client, request, persona):
    force_login_verified(client, request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404


def test_a_learner_who_also_tutors_elsewhere_sees_only_the_tutored_cohort(client, cohort, learner):
    other = CohortFactory.create()
    MembershipFactory.create(user=learner, cohort=other, role=Role.TUTOR)
    force_login_verified(client, learner)

    assert list(client.get(URL).context["cohorts"]) == [other]
