from __future__ import annotations

from typing import cast

import pytest
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import ItemKind, SourceDocument, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.content.views_lint import lint_report

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

urlpatterns = [*site_urlpatterns, path("lint-report-under-test/", lint_report)]
URL = "/lint-report-under-test/"


@pytest.fixture
def defective_unit():
    unit = cast(
        Unit, UnitFactory(title="Customer journey knowledge", slug="customer-journey-knowledge")
    )
    ContentItemFactory(unit=unit, kind=ItemKind.OBJECTIVE, name="", text="Understand journeys")
    SourceDocument.objects.create(
        path="000_example.txt",
        sha256="0" * 64,
        format="page_text",
        unit=unit,
        parsed={
            "format": "page_text",
            "sections": [
                {"heading": "Frequently Asked Questions", "line": 96, "items": []},
                {
                    "heading": "Learning Objectives",
                    "line": 57,
                    "items": [{"text": "Understand journeysUnderstand processes", "line": 61}],
                },
                {
                    "heading": "Key Terminology",
                    "line": 108,
                    "items": [{"text": "<script>alert(1)</script> journeys", "line": 112}],
                },
            ],
        },
    )
    return unit


def test_it_sends_anonymous_visitors_to_sign_in(client, defective_unit):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_refuses_a_learner_who_is_not_staff(client, defective_unit):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_lists_each_finding_with_code_severity_unit_and_location_for_staff(
    client, defective_unit
):
    force_login_verified(client, UserFactory.create(is_staff=True))
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert [f.code for f in response.context["findings"]] == ["RW101", "RW201", "RW203"]
    assert "RW201" in html
    assert "Frequently Asked Questions · 000_example.txt:96" in html
    assert "customer-journey-knowledge" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_filters_by_severity(client, defective_unit):
    force_login_verified(client, UserFactory.create(is_staff=True))
    response = client.get(URL, {"severity": "warning"})
    assert [f.code for f in response.context["findings"]] == ["RW201", "RW203"]
    assert response.context["counts"]["error"] == 1
