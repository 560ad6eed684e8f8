from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "controls"),
    [
        ("accounts:sign-in", ["email", "password"]),
        ("accounts:sign-up", ["email", "display_name", "password", "password_again"]),
        ("accounts:password-reset", ["email"]),
    ],
)
def test_it_renders_each_public_form_with_labels_and_a_csrf_token(client, name, controls):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    for control in controls:
        assert f'<label for="id_{control}">' in html
    assert " style=" not in html
    assert "<script>" not in html
