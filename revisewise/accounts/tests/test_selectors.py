from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.http import Http404

from revisewise.accounts import selectors
from revisewise.accounts.models import CONTENT_AUTHORS_GROUP
from revisewise.accounts.tests.factories import MembershipFactory, UserFactory


def test_it_knows_a_tutor_tutors_their_cohorts_learner(tutor, learner):
    assert selectors.user_is_tutor_of(tutor=tutor, learner=learner)


def test_it_counts_the_centre_administrator_as_tutor_of_the_centres_learners(centre_admin, learner):
    assert selectors.user_is_tutor_of(tutor=centre_admin, learner=learner)


def test_it_denies_another_centres_tutor_and_admin(other_tutor, other_centre_admin, learner):
    assert not selectors.user_is_tutor_of(tutor=other_tutor, learner=learner)
    assert not selectors.user_is_tutor_of(tutor=other_centre_admin, learner=learner)


def test_it_denies_a_learner_over_another_learner(learner, cohort):
    classmate = MembershipFactory.create(cohort=cohort).user
    assert not selectors.user_is_tutor_of(tutor=classmate, learner=learner)


def test_it_returns_the_learner_to_their_tutor(tutor, learner):
    found = selectors.learner_get_for_tutor(tutor=tutor, learner_uuid=str(learner.uuid))
    assert found == learner


def test_it_raises_404_for_another_centres_tutor(other_tutor, learner):
    with pytest.raises(Http404):
        selectors.learner_get_for_tutor(tutor=other_tutor, learner_uuid=str(learner.uuid))


def test_it_lists_only_the_users_own_cohorts(learner, tutor, centre_admin, other_tutor, cohort):
    assert list(selectors.cohort_list_for_user(user=learner)) == [cohort]
    assert list(selectors.cohort_list_for_user(user=tutor)) == [cohort]
    assert list(selectors.cohort_list_for_user(user=centre_admin)) == [cohort]
    assert cohort not in selectors.cohort_list_for_user(user=other_tutor)


def test_it_requires_two_factor_for_staff_roles_only(learner, tutor, centre_admin, solo_learner):
    author = UserFactory.create()
    author.groups.add(Group.objects.get_or_create(name=CONTENT_AUTHORS_GROUP)[0])
    site_admin = UserFactory.create(is_superuser=True, is_staff=True)
    assert selectors.user_is_content_author(user=author)
    assert selectors.user_is_site_admin(user=site_admin)
    for person in (tutor, centre_admin, author, site_admin):
        assert selectors.user_requires_two_factor(user=person)
    for person in (learner, solo_learner):
        assert not selectors.user_requires_two_factor(user=person)
