from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.content.tests.factories import AwardingBodyFactory, QualificationFactory

pytestmark = pytest.mark.django_db


def _url(subject_slug: str, slug: str) -> str:
    return reverse(
        "content:awarding-body-detail", kwargs={"subject_slug": subject_slug, "slug": slug}
    )


def test_it_lists_only_this_bodys_qualifications_in_the_subject(client):
    mine = QualificationFactory.create(title="Highfield Diploma")
    QualificationFactory.create(
        title="City Diploma", awarding_body=AwardingBodyFactory.create(name="City", slug="city")
    )

    html = client.get(_url(mine.subject.slug, mine.awarding_body.slug)).content.decode()

    assert "Highfield Diploma" in html
    assert "City Diploma" not in html
    assert 'aria-current="page">Highfield Qualifications<' in html


def test_it_answers_404_when_the_body_has_nothing_in_the_subject(client):
    qualification = QualificationFactory.create()
    AwardingBodyFactory.create(name="City", slug="city")

    assert client.get(_url(qualification.subject.slug, "city")).status_code == 404
