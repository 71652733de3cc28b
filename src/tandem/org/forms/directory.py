"""The people directory's filters, and the department filter other lists share."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.access.rules import actor_for
from tandem.org.models import Department, PersonStatus


def department_filter() -> forms.ModelChoiceField:
    """Any department, by name; the lists it filters include its sub-departments."""
    return forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="All departments",
        label="Department",
        help_text="Includes its sub-departments.",
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=200, label="Search by name, title, e-mail or department"
    )
    department = department_filter()
    status = forms.ChoiceField(required=False, label="Status")
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = actor_for(user)
        statuses = list(PersonStatus.choices)
        if actor is None or not actor.is_hr:
            # Only HR looks for people who have left; everyone else never sees them.
            statuses = [c for c in statuses if c[0] != PersonStatus.LEFT]
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", "Anyone"), *statuses]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class PickFilterForm(forms.Form):
    """The filters a people picker may ask the search for; the typed text (`q`) is read
    apart, since a NUL byte in it must find nobody rather than fail the form."""

    exclude = forms.ChoiceField(
        required=False, choices=[("", "Nobody"), ("me", "Me")], label="Leave out"
    )
    within = forms.ChoiceField(
        required=False, choices=[("", "Everyone"), ("reports", "My direct reports")], label="Among"
    )
    left = forms.BooleanField(required=False, label="Include people who left")
