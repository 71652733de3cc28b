"""The form of IT's page for SAML identity providers."""

from __future__ import annotations

from typing import Any

from django import forms

MAX_UPLOAD = 1_000_000


class IdentityProviderForm(forms.Form):
    """A SAML identity provider IT trusts. Read by IT admins on this page; Tandem uses the
    metadata to send people to the provider and to check its signatures, and nothing else.
    Every change is recorded in the audit log."""

    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="On the sign-in button: “Sign in with …”, e.g. “Okta”.",
        error_messages={"required": "Give the identity provider a name people recognise."},
    )
    metadata_file = forms.FileField(
        required=False,
        label="Metadata file (XML)",
        help_text="The identity provider's SAML metadata, downloaded from its admin console.",
    )
    metadata_url = forms.URLField(
        required=False,
        max_length=1000,
        assume_scheme="https",
        label="Or metadata URL",
        help_text="Tandem fetches the metadata from this https:// address when you save.",
    )
    email_attribute = forms.CharField(
        required=False,
        max_length=200,
        label="Attribute with the work e-mail",
        help_text="Leave empty when the NameID is the e-mail address (the usual set-up).",
    )
    allowed_domains = forms.CharField(
        required=False,
        max_length=2000,
        label="Allowed e-mail domains",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, e.g. example.com. Empty: any address Tandem knows.",
    )
    enabled = forms.BooleanField(
        required=False, initial=True, label="On (shown on the sign-in page)"
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["metadata_file"].help_text = "Upload only to replace the current metadata."
            self.fields["refresh"] = forms.BooleanField(
                required=False, label="Fetch the metadata from the URL again"
            )

    def clean_metadata_file(self) -> str:
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return ""
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("This file is larger than 1 MB; is it the metadata?")
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError("This file is not text (UTF-8 XML).") from error
