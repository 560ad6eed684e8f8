from __future__ import annotations

from typing import Any

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

    def add_error(self, field: str | None, error: Any) -> None:
        """Record the error and point the control at its message, so screen readers read it."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"].strip()
        if value != CONFIRM_WORD:
            raise forms.ValidationError(_("Type DELETE in capital letters to confirm."))
        return value


class AuditFilterForm(forms.Form):
    learner = forms.UUIDField(label=_("Person"), required=False)
