"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

api = NinjaAPI(
    title="Revisewise API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Answer every malformed request with the one error shape: a message and the details."""
    return api.create_response(
        request,
        {"error": "invalid_request", "message": "The request is not valid.", "details": exc.errors},
        status=422,
    )
