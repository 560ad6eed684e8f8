"""CSRF on the JSON API: no operation may act for the signed-in person without a CSRF check.

django-ninja exempts its views from Django's CSRF middleware and checks the token itself, inside
cookie authentication (`django_auth`), on unsafe methods. So an operation is safe when its auth
is cookie-based with `csrf=True` (the API's default, config/api.py), or when it uses no cookie at
all and never reads `request.user`. The checks walk every operation of the real API, so routers
added later are covered; a throwaway API with known faults shows that each check can fail.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django.urls import URLResolver, get_resolver, path
from ninja import NinjaAPI, Router
from ninja.operation import Operation
from ninja.security import APIKeyCookie, django_auth
from ninja.security.session import SessionAuth

from config.api import api
from config.urls import urlpatterns as site_urlpatterns
from revisewise.accounts.tests.factories import UserFactory

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Operations allowed to skip these rules, each with the reason. Keep it empty if you can.
ALLOWED: dict[str, str] = {}


@dataclass(frozen=True)
class ApiOperation:
    route: str
    methods: frozenset[str]
    operation: Operation

    @property
    def name(self) -> str:
        return (
            f"{'/'.join(sorted(self.methods))} {self.route} ({self.operation.view_func.__name__})"
        )


def _operations(ninja_api: NinjaAPI, prefix: str) -> Iterator[ApiOperation]:
    for bound in ninja_api._get_bound_routers():
        for route, path_view in bound.path_operations.items():
            parts = (prefix, bound.prefix, route)
            full = "/".join(part.strip("/") for part in parts if part.strip("/"))
            full += "/" if route.endswith("/") else ""
            for operation in path_view.operations:
                methods = frozenset(method.upper() for method in operation.methods)
                yield ApiOperation(route="/" + full, methods=methods, operation=operation)


def _cookie_auths(operation: Operation) -> list[APIKeyCookie]:
    return [auth for auth in operation.auth_callbacks if isinstance(auth, APIKeyCookie)]


def _reads_the_signed_in_person(operation: Operation) -> bool:
    source = inspect.getsource(inspect.unwrap(operation.view_func))
    return bool(re.search(r"request\.(user|auth|session)\b", source))


def _csrf_problems(ninja_api: NinjaAPI, prefix: str) -> list[str]:
    problems = []
    for entry in _operations(ninja_api, prefix):
        operation = entry.operation
        if entry.name in ALLOWED:
            continue
        if operation.csrf_exempt:
            problems.append(f"{entry.name} is marked csrf_exempt")
        for auth in _cookie_auths(operation):
            if not auth.csrf:
                problems.append(f"{entry.name} uses cookie auth {type(auth).__name__} without CSRF")
        if not _cookie_auths(operation) and _reads_the_signed_in_person(operation):
            problems.append(
                f"{entry.name} reads the signed-in person without cookie auth, so nothing checks "
                "CSRF: give it auth=django_auth"
            )
    return problems


def _url_for(route: str) -> str:
    # Fill every path parameter with something well-formed; the CSRF check runs before lookup.
    route = re.sub(r"\{int:\w+\}", "1", route)
    return re.sub(r"\{(?:\w+:)?(\w+)\}", lambda _: str(uuid.uuid4()), route)


def _unsafe_cookie_operations(ninja_api: NinjaAPI, prefix: str) -> list[ApiOperation]:
    return [
        entry
        for entry in _operations(ninja_api, prefix)
        if entry.methods & UNSAFE_METHODS and _cookie_auths(entry.operation)
    ]


def _refusals_without_token(client: Client, entries: list[ApiOperation]) -> list[str]:
    """Send each unsafe operation a signed-in request without a CSRF token; list those that
    did not answer 403 for CSRF."""
    failures = []
    for entry in entries:
        for method in sorted(entry.methods & UNSAFE_METHODS):
            response = client.generic(method, _url_for(entry.route), "{}", "application/json")
            if response.status_code != 403 or b"CSRF" not in response.content:
                failures.append(f"{method} {entry.route} answered {response.status_code}")
    return failures


def test_it_finds_no_api_operation_without_csrf_protection():
    assert _csrf_problems(api, "/api/v1") == []


def test_it_defaults_every_operation_to_session_auth_with_csrf():
    assert api.auth == [django_auth] or api.auth is django_auth
    assert django_auth.csrf is True


@pytest.mark.django_db
def test_it_refuses_every_unsafe_api_call_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create(), backend=settings.AUTHENTICATION_BACKENDS[0])

    assert _refusals_without_token(client, _unsafe_cookie_operations(api, "/api/v1")) == []


# A throwaway API with one fault of each kind, mounted by the tests below.
faulty_router = Router()


@faulty_router.post("/open-write", auth=None)
def open_write(request: HttpRequest) -> dict[str, str]:
    return {"who": str(request.user)}


@faulty_router.post("/no-csrf-cookie", auth=SessionAuth(csrf=False))
def no_csrf_cookie(request: HttpRequest) -> dict[str, str]:
    return {"ok": "yes"}


@faulty_router.post("/guarded/{item_uuid}")
def guarded(request: HttpRequest, item_uuid: uuid.UUID) -> dict[str, str]:
    return {"who": str(request.user)}


@faulty_router.get("/public", auth=None)
def public(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


faulty_api = NinjaAPI(urls_namespace="faulty-api", auth=django_auth, docs_url=None)
faulty_api.add_router("/things", faulty_router)
urlpatterns = [path("faulty/", faulty_api.urls), *site_urlpatterns]


def test_it_reports_each_kind_of_unprotected_operation():
    problems = _csrf_problems(faulty_api, "/faulty")

    assert len(problems) == 2, problems
    assert "POST /faulty/things/open-write (open_write) reads the signed-in person" in problems[0]
    assert "no_csrf_cookie) uses cookie auth SessionAuth without CSRF" in problems[1]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_it_sees_a_protected_operation_refuse_and_an_unprotected_one_accept():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create(), backend=settings.AUTHENTICATION_BACKENDS[0])
    entries = list(_operations(faulty_api, "/faulty"))
    guarded_entry = next(e for e in entries if e.operation.view_func is guarded)
    open_entry = next(e for e in entries if e.operation.view_func is open_write)

    assert _refusals_without_token(client, [guarded_entry]) == []
    assert _refusals_without_token(client, [open_entry]) == [
        "POST /faulty/things/open-write answered 200"
    ]


def _views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry.callback


def test_it_checks_csrf_on_every_page_outside_the_api():
    # The API's views are exempt from the middleware by design: the tests above cover them.
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not route.startswith("api/v1/")
    ]

    assert exempt == [], f"These views skip the CSRF check: {exempt}"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
