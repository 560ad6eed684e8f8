from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.tests.factories import (
    AwardingBodyFactory,
    QualificationFactory,
    SubjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_it_groups_qualifications_by_subject_then_awarding_body(client):
    business = SubjectFactory.create(name="Business Administration", slug="business-administration")
    care = SubjectFactory.create(name="Adult Care", slug="adult-care")
    highfield = AwardingBodyFactory.create(name="Highfield Qualifications", slug="highfield")
    city = AwardingBodyFactory.create(name="City & Guilds", slug="city-and-guilds")
    QualificationFactory.create(subject=business, awarding_body=highfield, title="Diploma H")
    QualificationFactory.create(subject=business, awarding_body=city, title="Diploma C")
    QualificationFactory.create(subject=care, awarding_body=city, title="Certificate A")

    html = client.get(reverse("content:home")).content.decode()

    order = ["Adult Care", "City &amp; Guilds", "Certificate A", "Business Administration"]
    order += ["City &amp; Guilds", "Diploma C", "Highfield Qualifications", "Diploma H"]
    position = 0
    for text in order:
        position = html.index(text, position)
    assert "Diploma H" not in html[: html.index("Business Administration")]


def test_it_links_each_level_of_the_browse_path(client):
    qualification = QualificationFactory.create()

    html = client.get(reverse("content:home")).content.decode()

    assert reverse("content:subject-detail", kwargs={"slug": qualification.subject.slug}) in html
    body_url = reverse(
        "content:awarding-body-detail",
        kwargs={
            "subject_slug": qualification.subject.slug,
            "slug": qualification.awarding_body.slug,
        },
    )
    assert body_url in html
    assert qualification.get_absolute_url() in html


def test_it_counts_the_units_of_each_qualification(client):
    qualification = QualificationFactory.create()
    UnitFactory.create_batch(3, qualification=qualification)

    html = client.get(reverse("content:home")).content.decode()

    assert "3 units" in html


def test_it_says_so_when_nothing_is_imported(client):
    html = client.get(reverse("content:home")).content.decode()

    assert "No content has been imported yet." in html


def test_it_uses_one_query_however_many_qualifications(client, django_assert_num_queries):
    for _n in range(5):
        UnitFactory.create()

    with django_assert_num_queries(1):
        response = client.get(reverse("content:home"))

    assert response.status_code == 200


def test_it_offers_sign_in_to_visitors(client):
    html = client.get(reverse("content:home")).content.decode()

    assert f'<a href="{reverse("accounts:sign-in")}?next=/">Sign in</a>' in html


def test_it_offers_sign_out_as_a_post_form_to_people_signed_in(client):
    client.force_login(UserFactory.create(display_name="Priya <Patel>"))

    html = client.get(reverse("content:home")).content.decode()

    sign_out = reverse("accounts:sign-out")
    assert f'<form class="account-menu" method="post" action="{sign_out}">' in html
    assert "csrfmiddlewaretoken" in html
    assert "Priya &lt;Patel&gt;" in html
