"""The ratings history import page's forms: the upload, and the confirmation of a check.

Who reads what is uploaded: HR admins (the file is kept, for the admin who uploaded it
only, until they confirm or for a day); once imported, the ratings are read like those of
any finished cycle."""

from __future__ import annotations

from django import forms
from django.conf import settings


class RatingsUploadForm(forms.Form):
    file = forms.FileField(
        label="Ratings file",
        help_text="A CSV file (UTF-8, comma or semicolon) or an Excel workbook (.xlsx).",
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
    upload = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
