"""Privacy pages: the notice, a person's own data, deleting the account, the audit log."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revisewise.accounts.models import User
from revisewise.audit.selectors import (
    audit_events_list_for_user,
    audit_log_is_visible_to,
    audit_subjects_list_for_user,
)
from revisewise.privacy import services
from revisewise.privacy.forms import AccountDeleteForm, AuditFilterForm
from revisewise.privacy.registry import personal_data_entries

AUDIT_PAGE_SIZE = 50


def _period(days: int) -> str:
    years, rest = divmod(days, 365)
    if years and not rest:
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _person(request: HttpRequest) -> User:
    user = request.user
    # login_required has run: the person is signed in.
    assert isinstance(user, User)
    return user


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    """Say what is stored, why, for how long, what stays after deletion, and people's rights."""
    context = {
        "entries": personal_data_entries(),
        "contact": settings.PRIVACY_CONTACT_EMAIL,
        "sign_in_days": settings.ACCOUNTS_SIGN_IN_RECORD_DAYS,
        "audit_period": _period(settings.AUDIT_RETENTION_DAYS),
    }
    return render(request, "privacy/notice.html", context)


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Show a readable summary of everything kept about the signed-in person."""
    export = services.personal_data_collect(user=_person(request))
    context = {"sections": services.personal_data_summary(export=export)}
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    """Send everything kept about the person as a JSON file, and log the export."""
    export = services.personal_data_export(user=_person(request))
    body = json.dumps(export, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"revisewise-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Explain what deletion does; with the password and DELETE typed, delete and sign out."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(
                user=_person(request), confirm_password=form.cleaned_data["password"]
            )
        except services.AccountDeleteError as error:
            form.add_error("password", str(error))
        else:
            logout(request)
            return redirect("privacy:account-deleted")
    context = {"form": form, "entries": personal_data_entries()}
    return render(request, "privacy/account_delete.html", context)


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/account_deleted.html")


@never_cache
@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """List the audit events of the centres this person administers (all for site admins)."""
    user = _person(request)
    if not audit_log_is_visible_to(user=user):
        raise Http404("No audit log here.")
    form = AuditFilterForm(request.GET or None)
    learner = form.cleaned_data["learner"] if form.is_valid() else None
    events = audit_events_list_for_user(user=user, learner_uuid=str(learner) if learner else None)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "learner": str(learner) if learner else "",
        "subjects": audit_subjects_list_for_user(user=user),
    }
    return render(request, "privacy/audit_log.html", context)
