from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

CONFIRM_WORD = "DELETE"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        help_text=_("In capital letters, so nobody deletes an account by accident."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"].strip()
        if value != CONFIRM_WORD:
            raise forms.ValidationError(_("Type DELETE in capital letters to confirm."))
        return value


class AuditFilterForm(forms.Form):
    learner = forms.UUIDField(label=_("Person"), required=False)
