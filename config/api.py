"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape.

Every operation needs a signed-in person by default, through the session cookie, and django-ninja
then checks the CSRF token on every unsafe method (its views are exempt from Django's own CSRF
middleware, so an operation with `auth=None` has no CSRF check at all: such a public operation
must never read `request.user`). `tests/test_security_csrf.py` enforces both.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

api = NinjaAPI(
    title="Revisewise API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=django_auth,
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Answer every malformed request with the one error shape: a message and the details."""
    return api.create_response(
        request,
        {"error": "invalid_request", "message": "The request is not valid.", "details": exc.errors},
        status=422,
    )
