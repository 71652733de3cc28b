"""The fairness pages' forms: the attributes upload, and the fairness page's choices.

Who reads what is typed: the attributes file is read by Tandem only to store each person's
values, which HR admins with the people-analytics role read as group counts and fairness
figures; nothing in it is shown elsewhere in Tandem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from tandem.org.models import Department


class AttributesUploadForm(forms.Form):
    file = forms.FileField(
        label="Attributes file",
        help_text="A CSV file (UTF-8, comma or semicolon) or an Excel workbook (.xlsx): an "
        "employee_id column and one column per attribute.",
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


class FairnessChoiceForm(forms.Form):
    """Which attribute, and optionally which department, the fairness page shows."""

    attribute = forms.ChoiceField(label="Attribute")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label="Department",
        empty_label="Whole company",
        help_text="A top-level department and its sub-departments. A group is hidden when "
        "showing it could reveal fewer people than the minimum.",
    )

    def __init__(
        self,
        *args: Any,
        attributes: list[tuple[str, str]],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        attribute = self.fields["attribute"]
        assert isinstance(attribute, forms.ChoiceField)
        attribute.choices = attributes
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments
