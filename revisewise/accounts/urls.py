from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from revisewise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two-factor-enrol"),
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("cohorts/", views.cohort_list, name="cohort-list"),
    path("cohorts/<uuid:cohort_uuid>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<uuid:cohort_uuid>/invite/", views.cohort_invite, name="cohort-invite"),
    path("cohorts/<uuid:cohort_uuid>/import/", views.cohort_import, name="cohort-import"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
