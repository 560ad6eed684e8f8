from __future__ import annotations

import pytest

from revisewise.accounts import selectors, services
from revisewise.accounts.models import Centre, Cohort, Membership, Role, User
from revisewise.content.tests.factories import QualificationFactory


@pytest.mark.django_db
def test_it_creates_a_centre_cohort_tutor_and_learners_that_can_sign_in():
    qualification = QualificationFactory.create()
    logins = services.accounts_seed_demo_centre(
        tutor_password="tutor-demo-passphrase", learner_password="learner-demo-passphrase"
    )
    cohort = Cohort.objects.get()
    assert cohort.qualification == qualification
    assert [login.role.split(" ")[0] for login in logins] == ["tutor"] + ["learner"] * 4
    tutor = User.objects.get(email=logins[0].email)
    assert tutor.check_password("tutor-demo-passphrase")
    assert tutor.totp_device.is_confirmed
    assert logins[0].totp_secret == tutor.totp_device.secret
    assert all(login.totp_secret == "" for login in logins[1:])
    for login in logins[1:]:
        learner = User.objects.get(email=login.email)
        assert learner.check_password("learner-demo-passphrase")
        assert selectors.user_is_tutor_of(tutor=tutor, learner=learner)


@pytest.mark.django_db
def test_it_can_run_twice_without_duplicating_anyone():
    runs = [
        services.accounts_seed_demo_centre(tutor_password="a-b-c-d-e-f", learner_password="g-h-i-j")
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert Centre.objects.count() == 1
    assert User.objects.count() == 5
    assert Membership.objects.filter(role=Role.LEARNER).count() == 4
