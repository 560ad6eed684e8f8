from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory, UserFactory
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.privacy.tests.factories import learner_with_history
from revisewise.privacy.views import AUDIT_PAGE_SIZE

pytestmark = pytest.mark.django_db
URL = reverse("privacy:audit-log")


@pytest.fixture
def centre_admin(history):
    return CentreAdminMembershipFactory.create(centre=history.cohort.centre).user


def _get(client, user, **params):
    force_login_verified(client, user)
    return client.get(URL, params)


def test_it_shows_a_centre_admin_their_centres_events(client, history, centre_admin):
    response = _get(client, centre_admin)

    page = response.content.decode()
    assert response.status_code == 200
    assert history.tutor.email in page
    assert "Viewed a learner&#x27;s progress" in page
    assert history.learner.email in page


def test_it_hides_another_centres_events(client, history):
    other = learner_with_history()
    admin = CentreAdminMembershipFactory.create(centre=other.cohort.centre).user

    page = _get(client, admin).content.decode()

    assert other.learner.email in page
    assert history.learner.email not in page


def test_it_shows_a_site_admin_every_centres_events(client, history):
    other = learner_with_history()
    site_admin = UserFactory.create(is_superuser=True, is_staff=True)

    page = _get(client, site_admin).content.decode()

    assert history.learner.email in page
    assert other.learner.email in page


@pytest.mark.parametrize("who", ["learner", "tutor", "solo"])
def test_it_is_not_found_for_anyone_else(client, history, who):
    person = {"learner": history.learner, "tutor": history.tutor}.get(who) or UserFactory.create()

    assert _get(client, person).status_code == 404


def test_it_filters_by_learner(client, history, centre_admin):
    other = learner_with_history(cohort=history.cohort)

    page = _get(client, centre_admin, learner=str(other.learner.uuid)).content.decode()

    table = page.split("<tbody>")[1]
    assert other.learner.email in table
    assert history.learner.email not in table


def test_it_pages_through_many_events(client, history, centre_admin):
    for _ in range(AUDIT_PAGE_SIZE + 5):
        audit_record(
            actor=history.tutor,
            action=AuditAction.ANSWER_VIEWED,
            subject=history.learner,
            centre=history.cohort.centre,
        )

    first = _get(client, centre_admin).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert first.count("<tr>") == AUDIT_PAGE_SIZE + 1
    assert "Page 1 of 2" in first
    assert second.count("<tr>") == 6 + 1


def test_it_escapes_what_people_wrote_into_the_log(client, history, centre_admin):
    audit_record(
        actor=history.tutor,
        action=AuditAction.MARK_MODERATED,
        subject=history.learner,
        centre=history.cohort.centre,
        detail={"comment": "<script>alert(1)</script>"},
    )

    page = _get(client, centre_admin).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_links_the_audit_log_from_a_centre_admins_cohort_list(client, history, centre_admin):
    force_login_verified(client, centre_admin)
    admin_page = client.get(reverse("accounts:cohort-list")).content.decode()
    force_login_verified(client, history.tutor)
    tutor_page = client.get(reverse("accounts:cohort-list")).content.decode()

    assert f'href="{URL}"' in admin_page
    assert f'href="{URL}"' not in tutor_page
