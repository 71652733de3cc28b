"""The HRIS import page's forms: the upload, and the confirmation of a preview."""

from __future__ import annotations

from django import forms
from django.conf import settings


class UploadForm(forms.Form):
    file = forms.FileField(
        label="HRIS export",
        help_text="A CSV file (UTF-8, comma or semicolon) or an Excel workbook (.xlsx).",
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="People who are not in the file have left",
        help_text="Active people missing from the file get the status “left”; their "
        "sign-in sessions and API tokens end.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{limit / 1024 / 1024:.0f} MB. Split it into smaller files."
            )
        return upload


class ConfirmForm(forms.Form):
    batch = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
