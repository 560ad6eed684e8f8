from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.content.tests.factories import QualificationFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_subjects_qualifications(client):
    qualification = QualificationFactory.create(title="Level 3 Diploma in Customer Service")
    other = QualificationFactory.create(
        subject=SubjectFactory.create(name="Adult Care", slug="adult-care"),
        title="Care Certificate",
    )

    url = reverse("content:subject-detail", kwargs={"slug": qualification.subject.slug})
    html = client.get(url).content.decode()

    assert "Level 3 Diploma in Customer Service" in html
    assert other.title not in html
    assert html.count("<h1") == 1


def test_it_answers_404_for_an_unknown_subject(client):
    url = reverse("content:subject-detail", kwargs={"slug": "no-such-subject"})

    assert client.get(url).status_code == 404


def test_it_uses_two_queries(client, django_assert_num_queries):
    qualification = QualificationFactory.create()
    QualificationFactory.create_batch(3)
    url = reverse("content:subject-detail", kwargs={"slug": qualification.subject.slug})

    with django_assert_num_queries(2):
        response = client.get(url)

    assert response.status_code == 200
