from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "revisewise.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from revisewise.accounts.selectors import sign_in_records_export_for_user
        from revisewise.accounts.services import account_records_erase
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="sign_in",
                title="Sign-in and security",
                describe=(
                    "Your sign-in attempts (time, network address, success), whether you use "
                    "two-factor sign-in, and the invitations sent to you."
                ),
                export=lambda user: sign_in_records_export_for_user(user=user),
                erase=lambda user: account_records_erase(user=user),
                models=("accounts.Membership", "accounts.TotpDevice", "accounts.Invitation"),
                retained=(
                    "Invitations you sent to other people stay with your centre, without your name."
                ),
            )
        )
