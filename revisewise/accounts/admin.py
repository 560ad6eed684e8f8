from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from revisewise.accounts.models import Centre, Cohort, Invitation, Membership, SignInAttempt, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["cohort"]


@admin.register(User)
class RevisewiseUserAdmin(UserAdmin):
    list_display = ("email", "display_name", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "display_name", "username")
    ordering = ("email",)
    inlines = [MembershipInline]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "centre", "qualification")
    list_filter = ("centre",)
    search_fields = ("name", "centre__name")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "cohort", "invited_by", "expires_at", "accepted_at")
    # The token exists only in the email; its hash is useless to show and never editable.
    exclude = ("token_hash",)
    readonly_fields = (
        "email",
        "role",
        "cohort",
        "invited_by",
        "expires_at",
        "accepted_at",
        "accepted_by",
    )

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    list_display = ("email", "ip_address", "attempted_at", "succeeded")
    list_filter = ("succeeded",)
    search_fields = ("email",)
    readonly_fields = ("email", "ip_address", "attempted_at", "succeeded")


def _admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Send the admin's sign-in to ours, so its lockout and second factor cannot be skipped."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url, login_url=reverse("accounts:sign-in"))


admin.site.login = _admin_login  # type: ignore[method-assign]
