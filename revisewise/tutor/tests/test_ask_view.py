from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory


@pytest.fixture
def learner_client(client, db):
    client.force_login(UserFactory())
    return client


def test_it_shows_a_labelled_question_box(learner_client):
    response = learner_client.get(reverse("tutor:ask"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_question">Your question</label>' in html


def test_it_asks_people_to_sign_in(client, db):
    response = client.get(reverse("tutor:ask"))
    assert response.status_code == 302


def test_it_answers_with_citation_links_without_javascript(learner_client, corpus):
    url = reverse("tutor:ask-qualification", args=[corpus.service.slug])
    response = learner_client.post(url, {"question": "what does NPS stand for?"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/tutor/conversations/")
    assert "<h1>Ask the tutor</h1>" in html
    assert f'href="{corpus.performance.get_absolute_url()}#key-concepts"' in html
    assert "Customer service performance: Key Concepts" in html


def test_it_returns_only_the_answer_to_htmx(learner_client, corpus):
    response = learner_client.post(
        reverse("tutor:ask"),
        {"question": "what does NPS stand for?"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<h1>" not in html
    assert "Key Concepts" in html
    assert "HX-Request" in response["Vary"]


def test_it_escapes_script_in_a_question(learner_client, corpus):
    response = learner_client.post(
        reverse("tutor:ask"),
        {"question": "<script>alert('x')</script> capital of France?"},
        follow=True,
    )
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "will not guess" in html


def test_it_gives_404_for_an_unknown_qualification(learner_client):
    response = learner_client.get(reverse("tutor:ask-qualification", args=["no-such-thing"]))
    assert response.status_code == 404
