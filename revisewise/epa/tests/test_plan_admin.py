from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import UserFactory
from revisewise.epa.models import GradeBoundary
from revisewise.epa.tests.factories import knowledge_test_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    force_login_verified(client, UserFactory.create(is_staff=True, is_superuser=True))
    return client


def _boundary_post(method, rows):
    data = {
        "boundaries-TOTAL_FORMS": str(len(rows)),
        "boundaries-INITIAL_FORMS": "0",
        "boundaries-MIN_NUM_FORMS": "0",
        "boundaries-MAX_NUM_FORMS": "1000",
    }
    for n, (grade, low, high) in enumerate(rows):
        data |= {
            f"boundaries-{n}-grade": grade,
            f"boundaries-{n}-min_marks": str(low),
            f"boundaries-{n}-max_marks": str(high),
            f"boundaries-{n}-method": str(method.pk),
        }
    fields = {
        "position": "0",
        "kind": method.kind,
        "name": method.name,
        "duration_minutes": "60",
        "question_count": "50",
        "question_kind": method.question_kind,
        "grading_rules": "",
        "source": "Section 3",
        "uncertain_note": "",
        "plan": str(method.plan.pk),
    }
    return {**fields, **data}


def test_the_admin_lists_plans_and_shows_a_method(admin_client):
    method = knowledge_test_plan()
    assert admin_client.get(reverse("admin:epa_assessmentplan_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:epa_assessmentplan_change", args=[method.plan.pk]))
    assert page.status_code == 200
    assert "Knowledge test" in page.content.decode()


def test_the_admin_refuses_boundaries_with_a_gap(admin_client):
    method = knowledge_test_plan()
    GradeBoundary.objects.filter(method=method).delete()
    url = reverse("admin:epa_assessmentmethod_change", args=[method.pk])
    response = admin_client.post(
        url, _boundary_post(method, [("Fail", 0, 29), ("Pass", 31, 39), ("Distinction", 40, 50)])
    )
    assert response.status_code == 200
    assert "gap or overlap at 30 marks" in response.content.decode()
    assert not GradeBoundary.objects.filter(method=method).exists()
    response = admin_client.post(
        url, _boundary_post(method, [("Fail", 0, 29), ("Merit", 30, 39), ("Distinction", 40, 50)])
    )
    assert "Merit: not one of the plan&#x27;s grades" in response.content.decode()


def test_the_admin_saves_good_boundaries(admin_client):
    method = knowledge_test_plan()
    GradeBoundary.objects.filter(method=method).delete()
    url = reverse("admin:epa_assessmentmethod_change", args=[method.pk])
    response = admin_client.post(
        url, _boundary_post(method, [("Fail", 0, 29), ("Pass", 30, 39), ("Distinction", 40, 50)])
    )
    assert response.status_code == 302
    assert GradeBoundary.objects.filter(method=method).count() == 3
