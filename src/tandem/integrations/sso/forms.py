"""The forms of the IT page for single sign-on."""

from __future__ import annotations

from typing import Any

from django import forms


class ProviderForm(forms.Form):
    """An OpenID Connect provider IT registered Tandem with. Read by IT admins on this page
    (the client secret only by its last four characters); Tandem uses these settings to
    send people to the provider and to check what it answers, nothing else. The secret is
    stored encrypted."""

    name = forms.CharField(
        max_length=60,
        help_text="On the sign-in button: “Sign in with Okta”.",
        error_messages={"required": "Give the provider the name people know it by."},
    )
    issuer = forms.CharField(
        max_length=500,
        label="Issuer URL",
        help_text="Such as https://yourcompany.okta.com. Tandem reads the rest from its "
        "discovery document (/.well-known/openid-configuration).",
        error_messages={"required": "Enter the issuer's address."},
    )
    client_id = forms.CharField(
        max_length=255,
        label="Client id",
        error_messages={"required": "Enter the client id the provider gave Tandem."},
    )
    client_secret = forms.CharField(
        max_length=2000,
        required=False,
        label="Client secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted and never shown again in full.",
    )
    scopes = forms.CharField(
        max_length=255,
        initial="openid email profile",
        help_text="Separated by spaces; “openid” is required.",
    )
    email_claim = forms.CharField(
        max_length=100,
        initial="email",
        label="Claim with the work e-mail",
        help_text="Usually “email”; some providers use “upn” or “preferred_username”.",
    )
    allowed_domains = forms.CharField(
        max_length=500,
        required=False,
        label="Allowed e-mail domains",
        help_text="Such as “example.com example.co.uk”. Empty: any address Tandem knows.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Switched on")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["client_secret"].help_text = "Leave empty to keep the secret stored now."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("client_secret") or "").strip() and not self.editing:
            self.add_error("client_secret", "Paste the client secret the provider gave Tandem.")
        return data


class PolicyForm(forms.Form):
    """The company's SSO policy. Read by IT admins on this page; it decides who may sign in
    with a password and whether SSO may add people."""

    require_sso = forms.BooleanField(
        required=False,
        label="Require single sign-on",
        help_text="Password sign-in is refused, except for the break-glass account below.",
    )
    break_glass_email = forms.CharField(
        max_length=254,
        required=False,
        label="Break-glass account (work e-mail)",
        help_text="The one person who may still sign in with a password, for when the "
        "identity provider is down.",
    )
    just_in_time = forms.BooleanField(
        required=False,
        label="Create people at their first sign-in",
        help_text="Someone the provider vouches for but Tandem does not know yet is added "
        "(with no manager or department: HR completes them). Off: HR adds everyone.",
    )
