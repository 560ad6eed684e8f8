from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory

MANAGE = str(settings.BASE_DIR / "manage.py")


def _production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REVISEWISE_", "DATABASE_"))
    }
    env |= {
        "REVISEWISE_PRODUCTION": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "revise.example.org",
        "REVISEWISE_VAR_DIR": str(tmp_path),
    }
    return env | overrides


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "overrides",
    [
        {"DJANGO_DEBUG": "true"},
        {"DJANGO_SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY},
        {"DJANGO_SECRET_KEY": "too-short"},
    ],
    ids=["debug-on", "development-key", "short-key"],
)
def test_it_refuses_to_start_in_production_with_unsafe_settings(tmp_path, overrides):
    result = _manage(_production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_it_marks_cookies_secure_httponly_and_samesite_in_production(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax"], result.stderr


@pytest.mark.django_db
def test_it_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("accounts:sign-in"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_it_sets_the_session_cookie_httponly_and_samesite(client):
    user = UserFactory.create(email="femi@example.org")
    client.post(
        reverse("accounts:sign-in"),
        {"email": user.email, "password": "correct-horse-battery-staple"},
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
