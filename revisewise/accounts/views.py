from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisewise.accounts import services, totp
from revisewise.accounts.forms import (
    InvitationForm,
    LearnerImportForm,
    NewPasswordForm,
    SignInForm,
    SignUpForm,
    TotpCodeForm,
)
from revisewise.accounts.middleware import TWO_FACTOR_SESSION_KEY
from revisewise.accounts.models import User
from revisewise.accounts.selectors import (
    CENTRE_STAFF_SESSION_KEY,
    cohort_get_for_centre_admin,
    cohort_invitations_pending,
    cohort_list_for_user,
    cohort_members,
    user_get_by_email,
    user_has_centre_role,
)

BACKEND = "revisewise.accounts.backends.EmailBackend"


def _has_next(request: HttpRequest) -> bool:
    """Say whether the person asked for a page (the form posts the default back otherwise)."""
    target = _next_url(request)
    return target not in {
        str(settings.LOGIN_REDIRECT_URL),
        resolve_url(settings.LOGIN_REDIRECT_URL),
    }


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        device_token = request.COOKIES.get(services.DEVICE_COOKIE_NAME)
        try:
            user = services.sign_in_check(
                request=request,
                email=email,
                password=form.cleaned_data["password"],
                ip_address=request.META.get("REMOTE_ADDR"),
                device_token=device_token,
            )
        except services.SignInLockedError as locked:
            form.add_error(None, _locked_message(known_device=locked.known_device))
        else:
            if user is not None:
                return _signed_in(request, user, device_token=device_token)
            form.add_error(None, _("That email address and password do not match an account."))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def _locked_message(*, known_device: bool) -> str:
    minutes = settings.ACCOUNTS_SIGN_IN_LOCKOUT_MINUTES
    if known_device:
        message = _(
            "Too many unsuccessful attempts. Signing in with this email address is paused "
            "for %(minutes)s minutes on this device. Try again later, or reset your password."
        )
    else:
        message = _(
            "Too many unsuccessful attempts. Signing in with this email address is paused "
            "for %(minutes)s minutes, except on devices that have signed in with it before. "
            "Try again later, use one of those devices, or reset your password."
        )
    return message % {"minutes": minutes}


def _signed_in(request: HttpRequest, user: User, *, device_token: str | None) -> HttpResponse:
    login(request, user, backend=BACKEND)
    # Read by the navigation (no query per page); a role granted later shows at the next sign-in.
    is_centre_staff = user_has_centre_role(user=user)
    request.session[CENTRE_STAFF_SESSION_KEY] = is_centre_staff
    if is_centre_staff and not _has_next(request):
        response = redirect("centres:cohort-list")
    else:
        response = redirect(_next_url(request))
    if not services.device_id_for(token=device_token, email=user.email):
        response.set_cookie(
            services.DEVICE_COOKIE_NAME,
            services.device_token_issue(email=user.email),
            max_age=int(services.DEVICE_COOKIE_MAX_AGE.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _rate_limited_message(error: services.RateLimitedError) -> str:
    return _(
        "Too many requests from here. To protect accounts, please wait %(minutes)s minutes and "
        "try again."
    ) % {"minutes": error.minutes}


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_rate_limit(ip_address=request.META.get("REMOTE_ADDR"))
        except services.RateLimitedError as error:
            form.add_error(None, _rate_limited_message(error))
            return render(request, "accounts/sign_up.html", {"form": form}, status=429)
        try:
            user = services.user_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome to Revisewise. Your account is ready."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_up.html", {"form": form})


def _form_errors_from(form: NewPasswordForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "email" in error.error_dict:
        form.add_error(
            None,
            _(
                "We could not create an account with that email address. If you already have one, "
                "sign in or reset your password."
            ),
        )
    else:
        form.add_error("password", error.messages)


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if hasattr(user, "totp_device") and user.totp_device.is_confirmed:
        return redirect("accounts:two-factor-verify")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_verify(user=user, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[TWO_FACTOR_SESSION_KEY] = True
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error(
            "code", _("That code is not right. Check your device's clock and try again.")
        )
    device = services.totp_device_start(user=user) if request.method == "GET" else user.totp_device
    uri = totp.totp_uri(secret=device.secret, account=user.email)
    context = {"form": form, "secret": device.secret, "uri": uri}
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_verify(user=user, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[TWO_FACTOR_SESSION_KEY] = True
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or has already been used."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get_usable(token=token)
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
        )
    existing = user_get_by_email(email=invitation.email)
    had_password = existing is not None and existing.has_usable_password()
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            if had_password:
                # The link proves the email, not the right to skip the account's own password.
                messages.success(request, _("You have joined. Sign in with your usual password."))
                return redirect("accounts:sign-in")
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Welcome. You have joined %(cohort)s.") % {"cohort": invitation.cohort.name},
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cohorts = cohort_list_for_user(user=user)
    administers = any(getattr(cohort, "is_administered", False) for cohort in cohorts)
    context = {"cohorts": cohorts, "administers": administers or user.is_superuser}
    return render(request, "accounts/cohort_list.html", context)


@login_required
def cohort_detail(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cohort = cohort_get_for_centre_admin(user=user, cohort_uuid=cohort_uuid)
    context = {
        "cohort": cohort,
        "members": cohort_members(cohort=cohort),
        "invitations": cohort_invitations_pending(cohort=cohort, now=timezone.now()),
        "invite_form": InvitationForm(),
        "import_form": LearnerImportForm(),
    }
    return render(request, "accounts/cohort_detail.html", context)


@login_required
@require_POST
def cohort_invite(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cohort = cohort_get_for_centre_admin(user=user, cohort_uuid=cohort_uuid)
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_create(
            invited_by=user,
            cohort=cohort,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        return redirect("accounts:cohort-detail", cohort_uuid=cohort.uuid)
    context = {
        "cohort": cohort,
        "members": cohort_members(cohort=cohort),
        "invitations": cohort_invitations_pending(cohort=cohort, now=timezone.now()),
        "invite_form": form,
        "import_form": LearnerImportForm(),
    }
    return render(request, "accounts/cohort_detail.html", context, status=400)


@login_required
@require_POST
def cohort_import(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cohort = cohort_get_for_centre_admin(user=user, cohort_uuid=cohort_uuid)
    form = LearnerImportForm(request.POST, request.FILES)
    row_errors: list[services.ImportRowError] = []
    if form.is_valid():
        try:
            invitations = services.cohort_import_learners(
                cohort=cohort,
                csv_text=form.cleaned_data["file"],
                invited_by=user,
                base_url=request.build_absolute_uri("/"),
            )
        except services.CohortImportError as error:
            row_errors = error.errors
        else:
            messages.success(
                request, _("%(count)s learners added and invited.") % {"count": len(invitations)}
            )
            return redirect("accounts:cohort-detail", cohort_uuid=cohort.uuid)
    context = {
        "cohort": cohort,
        "members": cohort_members(cohort=cohort),
        "invitations": cohort_invitations_pending(cohort=cohort, now=timezone.now()),
        "invite_form": InvitationForm(),
        "import_form": form,
        "row_errors": row_errors,
    }
    return render(request, "accounts/cohort_detail.html", context, status=400)


_password_reset_view = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/emails/password_reset.txt",
    subject_template_name="accounts/emails/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's reset request, limited per email and per address so it cannot flood an inbox."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_rate_limit(
                email=form.cleaned_data["email"], ip_address=request.META.get("REMOTE_ADDR")
            )
        except services.RateLimitedError as error:
            form.add_error(None, _rate_limited_message(error))
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
    return _password_reset_view(request)
