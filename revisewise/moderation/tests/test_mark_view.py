from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import Moderation
from revisewise.moderation.services import moderation_record
from revisewise.moderation.tests.factories import POINTS, MarkFlagFactory, mark_for

SCRIPT = "<script>alert('x')</script>"


def url(mark) -> str:
    return reverse("moderation:mark", kwargs={"mark_uuid": mark.uuid})


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def override_third_point(comment: str = "Next steps are explained.") -> dict[str, str]:
    return {
        "point_0_verdict": "met",
        "point_1_verdict": "partly_met",
        "point_2_verdict": "met",
        "point_2_comment": comment,
        "comment": "Good answer.",
    }


def test_it_shows_the_tutor_the_answer_with_evidence_and_the_machines_verdicts(tutor, learner):
    mark = mark_for(learner)
    response = signed_in(tutor).get(url(mark))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="evidence">acknowledge how frustrated</mark>' in html
    assert '<mark class="evidence">say sorry</mark>' in html
    assert html.count("<fieldset") == 3
    assert f"Marking point 3: {POINTS[2]}".replace("'", "&#x27;") in html
    checked = re.findall(
        r'<input type="radio" name="(point_\d)_verdict" value="(\w+)"[^>]*checked', html
    )
    assert checked == [("point_0", "met"), ("point_1", "partly_met"), ("point_2", "not_met")]
    form = response.context["form"]
    assert [form[f"point_{i}_verdict"].value() for i in range(3)] == [
        "met",
        "partly_met",
        "not_met",
    ]


def test_it_records_that_the_tutor_viewed_the_answer(tutor, learner, cohort):
    mark = mark_for(learner)
    signed_in(tutor).get(url(mark))
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_VIEWED)
    assert (event.actor, event.subject, event.centre) == (tutor, learner, cohort.centre)


def test_the_tutors_override_is_saved_and_listed_in_the_history(tutor, learner):
    mark = mark_for(learner)
    client = signed_in(tutor)
    response = client.post(url(mark), override_third_point())
    assert response.status_code == 302
    moderation = Moderation.objects.get()
    assert (moderation.decision, moderation.label) == ("overridden", "partially_correct")
    assert moderation.point_verdicts[2]["comment"] == "Next steps are explained."
    page = client.get(url(mark)).content.decode()
    assert "Moderation saved" in page
    assert "Current mark:" in page
    assert "Met (the machine said Not met)" in page


@pytest.mark.parametrize("persona", ["learner", "other_learner", "other_tutor"])
def test_no_one_but_the_learners_tutor_reaches_the_page(request, persona, learner):
    mark = mark_for(learner)
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(url(mark)).status_code == 404
    assert client.post(url(mark), override_third_point()).status_code == 404
    assert not Moderation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(learner):
    mark = mark_for(learner)
    response = Client().get(url(mark))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_the_post_needs_a_csrf_token(tutor, learner):
    mark = mark_for(learner)
    client = Client(enforce_csrf_checks=True)
    force_login_verified(client, tutor)
    assert client.post(url(mark), override_third_point()).status_code == 403
    assert not Moderation.objects.exists()
    page = client.get(url(mark))
    token = page.cookies["csrftoken"].value
    data = {**override_third_point(), "csrfmiddlewaretoken": token}
    assert client.post(url(mark), data).status_code == 302
    assert Moderation.objects.count() == 1


def test_a_missing_verdict_loses_nothing_typed_and_saves_nothing(tutor, learner):
    mark = mark_for(learner)
    data = override_third_point("Keep this comment.")
    del data["point_1_verdict"]
    response = signed_in(tutor).post(url(mark), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose met, partly met or not met." in html
    assert "Keep this comment." in html
    assert not Moderation.objects.exists()


def test_script_in_the_answer_flag_and_comments_is_escaped(tutor, learner):
    answer = f"I would acknowledge how frustrated they are {SCRIPT} and say sorry."
    mark = mark_for(learner, answer=answer)
    MarkFlagFactory.create(mark=mark, reason=SCRIPT)
    moderation_record(
        tutor=tutor,
        mark=mark,
        point_verdicts=[{"point": p, "verdict": "met", "comment": SCRIPT} for p in POINTS],
        comment=SCRIPT,
    )
    html = signed_in(tutor).get(url(mark)).content.decode()
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 5


def test_the_learners_flag_reason_is_shown(tutor, learner):
    mark = mark_for(learner)
    MarkFlagFactory.create(mark=mark, reason="I did explain the next steps.")
    html = signed_in(tutor).get(url(mark)).content.decode()
    assert "The learner disagrees with this mark" in html
    assert "I did explain the next steps." in html


def test_an_empty_post_is_refused_with_messages(tutor, learner):
    mark = mark_for(learner)
    response = signed_in(tutor).post(url(mark), {})
    assert response.status_code == 400
    assert response.content.decode().count("Choose met, partly met or not met.") == 3
    assert not Moderation.objects.exists()


def test_saving_the_machines_verdicts_unchanged_confirms_the_mark(tutor, learner):
    mark = mark_for(learner)
    data = {"point_0_verdict": "met", "point_1_verdict": "partly_met", "point_2_verdict": "not_met"}
    assert signed_in(tutor).post(url(mark), data).status_code == 302
    moderation = Moderation.objects.get()
    assert (moderation.decision, moderation.label, moderation.score) == (
        "confirmed",
        mark.label,
        mark.score,
    )


def test_a_centre_administrator_can_moderate_their_centres_learners(learner, cohort):
    admin = CentreAdminMembershipFactory.create(centre=cohort.centre).user
    mark = mark_for(learner)
    assert signed_in(admin).get(url(mark)).status_code == 200


def test_after_a_moderation_the_form_starts_at_the_current_mark(tutor, learner):
    mark = mark_for(learner)
    client = signed_in(tutor)
    client.post(url(mark), override_third_point())
    form = client.get(url(mark)).context["form"]
    assert [form[f"point_{i}_verdict"].value() for i in range(3)] == [
        "met",
        "partly_met",
        "met",
    ]
    again = {"point_0_verdict": "met", "point_1_verdict": "partly_met", "point_2_verdict": "met"}
    client.post(url(mark), again)
    newest = Moderation.objects.order_by("-created_at", "-pk")[0]
    assert newest.decision == "overridden"
    assert Moderation.objects.count() == 2


def test_a_tutor_can_say_the_misconception_the_machine_found_is_not_there(tutor, learner):
    mark = mark_for(
        learner,
        label="contradictory",
        score=0.3,
        misconception=("Complaints are always negative.", "Complaints help.", "say sorry"),
    )
    client = signed_in(tutor)
    html = client.get(url(mark)).content.decode()
    assert "Misconception the machine found" in html
    assert '<mark class="evidence evidence-misconception">say sorry</mark>' in html
    assert 'name="misconception_upheld"' in html
    data = {"point_0_verdict": "met", "point_1_verdict": "partly_met", "point_2_verdict": "not_met"}
    client.post(url(mark), data)  # the unticked box: not upheld
    moderation = Moderation.objects.get()
    assert (moderation.decision, moderation.label) == ("overridden", "partially_correct")
    assert client.get(url(mark)).context["form"]["misconception_upheld"].value() is False
