"""The filters of the alignment tree and the alignment coverage pages."""

from __future__ import annotations

from django import forms

from tandem.goals.models import Health, Period
from tandem.goals.queries.tree import NO_HEALTH
from tandem.org.forms.directory import department_filter


def period_filter() -> forms.ModelChoiceField:
    """Any period, newest first; left empty, the page shows the current one."""
    return forms.ModelChoiceField(
        queryset=Period.objects.order_by("-start_date", "name"),
        required=False,
        empty_label="Current period",
        label="Period",
    )


class TreeFilterForm(forms.Form):
    period = period_filter()
    department = department_filter()
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *Health.choices, (NO_HEALTH, "No check-in yet")],
    )


class CoverageFilterForm(forms.Form):
    period = period_filter()
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
