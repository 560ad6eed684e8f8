"""Who may see a learner's data: the learner, their tutor, and another centre's learner and tutor.

Pages that take the object from the URL answer 404 (never 403, so nobody learns that it exists)
to everyone but its owner. Pages about "me" (progress, plan, my data) show each person only their
own records. A learner's tutor reads learner data only through the centre dashboard, which the
centres app tests; the practice pages themselves belong to the learner alone.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from revisewise.accounts.models import Role, User
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory, MembershipFactory
from revisewise.practice.models import PracticeSession
from revisewise.privacy.tests.factories import LearnerHistory, learner_with_history

pytestmark = pytest.mark.django_db
OUTSIDERS = ["tutor", "other_learner", "other_tutor", "other_centre_admin"]
# A wrong answer, so the item page shows it beside the right one.
ANSWER = "the sale of goods act"


@pytest.fixture
def history() -> LearnerHistory:
    return learner_with_history(answer=ANSWER)


@pytest.fixture
def people(history) -> dict[str, User]:
    other = learner_with_history(answer="another answer", exam_date=date(2027, 3, 3))
    return {
        "learner": history.learner,
        "tutor": history.tutor,
        "centre_admin": CentreAdminMembershipFactory.create(centre=history.cohort.centre).user,
        "other_learner": other.learner,
        "other_tutor": other.tutor,
        "other_centre_admin": CentreAdminMembershipFactory.create(centre=other.cohort.centre).user,
    }


def _client_for(user: User) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def _session(history: LearnerHistory) -> PracticeSession:
    return history.attempt.session


def _practice_urls(session: PracticeSession) -> list[str]:
    return [
        reverse("practice:session-resume", args=[session.uuid]),
        reverse("practice:session-item", args=[session.uuid, 1]),
        reverse("practice:session-summary", args=[session.uuid]),
    ]


def test_it_shows_a_learner_their_own_practice_session(history, people):
    client = _client_for(people["learner"])

    resume, item, summary = (client.get(url) for url in _practice_urls(_session(history)))

    assert resume.status_code == 302
    assert item.status_code == 200
    assert ANSWER in item.content.decode()
    assert summary.status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_hides_a_learners_practice_session_from_everyone_else(history, people, who):
    client = _client_for(people[who])

    for url in _practice_urls(_session(history)):
        response = client.get(url)
        assert response.status_code == 404, url
        assert ANSWER not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_refuses_an_answer_into_someone_elses_session(history, people, who):
    session = _session(history)
    url = reverse("practice:answer-submit", args=[session.uuid, 1])

    response = _client_for(people[who]).post(url, {"answer": "x", "token": "t"})

    assert response.status_code == 404
    assert session.attempts.count() == 1


def _progress_pages(client: Client) -> str:
    pages = [client.get(reverse(name)) for name in ("progress:overview", "progress:plan")]
    assert [page.status_code for page in pages] == [200, 200]
    return "".join(page.content.decode() for page in pages)


def test_it_shows_a_learner_their_own_progress_and_plan(history, people):
    page = _progress_pages(_client_for(people["learner"]))

    assert "Exam on 20 January 2027" in page


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_shows_nobody_else_the_learners_progress_or_plan(history, people, who):
    page = _progress_pages(_client_for(people[who]))

    assert "Exam on 20 January 2027" not in page
    assert history.learner.email not in page


def test_it_gives_a_learner_their_own_data(history, people):
    client = _client_for(people["learner"])

    export = json.loads(client.post(reverse("privacy:my-data-download")).content)

    assert export["account"]["email"] == history.learner.email


@pytest.mark.parametrize("who", ["tutor", "centre_admin", "other_learner", "other_tutor"])
def test_it_never_puts_a_learners_records_in_anyone_elses_data(history, people, who):
    client = _client_for(people[who])

    summary = client.get(reverse("privacy:my-data")).content.decode()
    export = json.loads(client.post(reverse("privacy:my-data-download")).content)

    assert ANSWER not in summary
    assert str(history.attempt.uuid) not in summary
    # A tutor's data names the learner only in the audit log of what the tutor did.
    records = [section for section in export["sections"] if section["name"] != "audit"]
    text = json.dumps([export["account"], export["memberships"], records])
    for secret in (history.learner.email, ANSWER, str(history.attempt.uuid)):
        assert secret not in text


def test_it_shows_a_cohort_page_only_to_its_centres_administrator(history, people):
    url = reverse("accounts:cohort-detail", args=[history.cohort.uuid])

    assert _client_for(people["centre_admin"]).get(url).status_code == 200
    for who in ["learner", "tutor", "other_learner", "other_tutor", "other_centre_admin"]:
        response = _client_for(people[who]).get(url)
        assert response.status_code == 404, who
        assert history.learner.email not in response.content.decode()


@pytest.mark.parametrize("who", ["learner", "tutor", "other_tutor", "other_centre_admin"])
def test_it_refuses_invitations_and_imports_from_outside_the_centre_admin(history, people, who):
    client = _client_for(people[who])
    invite = reverse("accounts:cohort-invite", args=[history.cohort.uuid])
    imports = reverse("accounts:cohort-import", args=[history.cohort.uuid])

    assert client.post(invite, {"email": "x@example.org", "role": Role.LEARNER}).status_code == 404
    assert client.post(imports, {}).status_code == 404


def test_it_lists_only_a_persons_own_cohorts(history, people):
    page = _client_for(people["other_tutor"]).get(reverse("accounts:cohort-list"))

    assert history.cohort.name not in page.content.decode()


def test_it_shows_the_audit_log_to_centre_administrators_only(history, people):
    url = reverse("privacy:audit-log")

    own = _client_for(people["centre_admin"]).get(url).content.decode()
    other = _client_for(people["other_centre_admin"]).get(url).content.decode()

    assert history.learner.email in own
    assert history.learner.email not in other
    for who in ["learner", "tutor", "other_learner", "other_tutor"]:
        assert _client_for(people[who]).get(url).status_code == 404, who


def test_it_lets_a_tutor_in_two_centres_see_only_the_cohort_they_tutor(history, people):
    tutor = people["other_tutor"]
    MembershipFactory.create(user=tutor, role=Role.LEARNER)

    page = _client_for(tutor).get(reverse("accounts:cohort-list")).content.decode()

    assert history.cohort.name not in page


# --- No sequential ids in URLs of user-owned objects.

# A number may follow a uuid: a position inside an object the uuid names, which the view fetches
# through a permission-checked selector first (practice item 3 of session <uuid>).
POSITION_AFTER_UUID = re.compile(r"<uuid:\w+>/.*<int:\w+>")


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            routes.append(prefix + str(entry.pattern))
    return routes


def test_it_puts_no_sequential_ids_in_page_urls():
    # The admin site is for site administrators and uses Django's own keys.
    routes = [r for r in _routes(get_resolver().url_patterns) if not r.startswith("admin/")]

    offending = [
        route
        for route in routes
        if ("<int:" in route and not POSITION_AFTER_UUID.search(route))
        or re.search(r"<(?:\w+:)?(?:pk|id|\w+_id)>", route)
    ]

    assert len(routes) > 20
    assert offending == [], f"Use a uuid, not a sequential id, in: {offending}"


def test_it_puts_no_sequential_ids_in_api_urls():
    paths = [route for bound in api._get_bound_routers() for route in bound.path_operations]

    offending = [p for p in paths if re.search(r"\{int:|\{(?:pk|id|\w+_id)\}", p)]

    assert offending == [], f"Use a uuid, not a sequential id, in: {offending}"
