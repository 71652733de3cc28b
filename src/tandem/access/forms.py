from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """E-mail sign-in; addresses are stored in lower case, so compare in lower case."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is this token for?",
        help_text="For example “Payroll sync” or “My laptop scripts”.",
    )
