"""Everything people write is escaped where it is shown: each test writes a script through one
field and reads every page that shows that field.

Other apps test their own new pages (marking comments, discussion answers, assignments).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from revisewise.accounts.services import invitation_create
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.practice.models import ItemType, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.privacy.tests.factories import learner_with_history
from revisewise.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("owned")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"


def _assert_escaped(client: Client, url: str, *, status: int = 200) -> None:
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == status, url
    assert SCRIPT not in page, f"{url} shows a script unescaped"
    assert "<script>alert" not in page, f"{url} shows a script unescaped"
    assert ESCAPED in page, f"{url} does not show the text at all"


@pytest.fixture
def history():
    return learner_with_history()


@pytest.fixture
def centre_admin(history):
    return CentreAdminMembershipFactory.create(centre=history.cohort.centre).user


def test_it_escapes_a_display_name(client, history, centre_admin):
    history.learner.display_name = SCRIPT
    history.learner.save()
    audit_record(
        actor=centre_admin,
        action=AuditAction.LEARNER_VIEWED,
        subject=history.learner,
        centre=history.cohort.centre,
    )

    force_login_verified(client, history.learner)
    _assert_escaped(client, reverse("content:home"))
    _assert_escaped(client, reverse("privacy:my-data"))
    force_login_verified(client, centre_admin)
    _assert_escaped(client, reverse("accounts:cohort-detail", args=[history.cohort.uuid]))
    _assert_escaped(client, reverse("privacy:audit-log"))


def test_it_escapes_cohort_and_centre_names(client, history, centre_admin):
    history.cohort.name = SCRIPT
    history.cohort.save()
    centre = history.cohort.centre
    centre.name = SCRIPT + " centre"
    centre.save()

    force_login_verified(client, history.learner)
    _assert_escaped(client, reverse("accounts:cohort-list"))
    _assert_escaped(client, reverse("privacy:my-data"))
    force_login_verified(client, centre_admin)
    _assert_escaped(client, reverse("accounts:cohort-detail", args=[history.cohort.uuid]))


def test_it_escapes_names_on_an_invitation(
    client, history, centre_admin, django_capture_on_commit_callbacks
):
    history.cohort.name = SCRIPT
    history.cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            invited_by=centre_admin,
            cohort=history.cohort,
            email="new.learner@example.org",
            role="learner",
            base_url="http://testserver/",
        )
    link = next(word for word in mail.outbox[-1].body.split() if "/accounts/invitations/" in word)

    _assert_escaped(Client(), link.removeprefix("http://testserver"))


def test_it_escapes_imported_content_on_unit_and_search_pages(client):
    unit = UnitFactory.create(title="Escaping unit " + SCRIPT, synopsis="Synopsis " + SCRIPT)
    ContentItemFactory.create(unit=unit, name="Injected " + SCRIPT, text="Text " + SCRIPT)
    search_index_rebuild()

    assert unit.qualification is not None
    _assert_escaped(
        client, reverse("content:unit-detail", args=[unit.qualification.slug, unit.slug])
    )
    _assert_escaped(client, reverse("content:search") + "?q=Injected")


def test_it_escapes_a_practice_answer(client, history):
    cloze = items_of_every_type()[ItemType.CLOZE]
    session = practice_session_start(
        learner=history.learner,
        scope=SessionScope.UNIT,
        unit=cloze.unit,
        now=history.attempt.created_at,
    )
    session.item_order = [str(cloze.uuid)]
    session.save(update_fields=["item_order"])
    attempt_submit(
        learner=history.learner,
        session=session,
        position=0,
        response=SCRIPT,
        client_token="escape-1",
        duration_ms=1000,
    )

    force_login_verified(client, history.learner)
    _assert_escaped(client, reverse("practice:session-item", args=[session.uuid, 1]))
    _assert_escaped(client, reverse("privacy:my-data"))
