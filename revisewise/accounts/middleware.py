"""Hold back anyone who needs a second factor until they have passed it in this session."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from revisewise.accounts.models import User
from revisewise.accounts.selectors import user_two_factor_state

TWO_FACTOR_SESSION_KEY = "accounts_two_factor_verified"
_EXEMPT_URL_NAMES = (
    "accounts:two-factor-enrol",
    "accounts:two-factor-verify",
    "accounts:sign-out",
    "core:healthz",
)


class TwoFactorMiddleware:
    """Redirect a signed-in person who needs a second factor to enrol or verify first.

    Tutors, centre administrators, authors and staff always need it; a learner needs it once they
    have set up an authenticator. Until then every page (the admin site included) except the
    enrolment, verification and sign-out pages redirects there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.session.get(TWO_FACTOR_SESSION_KEY)
            and not _is_exempt(request.path)
        ):
            has_device, required = user_two_factor_state(user=user)
            if has_device:
                next_query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:two-factor-verify')}?{next_query}")
            if required:
                return redirect("accounts:two-factor-enrol")
        return self.get_response(request)


def _is_exempt(path: str) -> bool:
    if path.startswith("/static/"):
        return True
    return any(path == reverse(name) for name in _EXEMPT_URL_NAMES)
