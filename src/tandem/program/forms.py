"""The program editor's form: HR admins' choices, checked before the service saves them."""

from __future__ import annotations

from django import forms

from tandem.program.models import ANONYMITY_FLOOR, SWITCHES, Program, Purpose


class ProgramForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What the process is used for",
        help_text="Tick every use. Employees see exactly these on the program page.",
    )
    purpose_statement = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Why we do it, in our own words",
        help_text="Shown first on the program page. Plain words; no jargon.",
    )
    anonymity_minimum = forms.IntegerField(
        label="Anonymity minimum (people)",
        help_text=f"Group results are hidden when fewer people answered. At least "
        f"{ANONYMITY_FLOOR}; 5 is the usual choice.",
        max_value=50,
        widget=forms.NumberInput(attrs={"min": ANONYMITY_FLOOR, "max": 50}),
        error_messages={
            "required": "Anonymity minimum: give a number of people (5 is the usual choice).",
            "invalid": "Anonymity minimum: give a whole number of people.",
            "max_value": "Anonymity minimum: at most %(limit_value)s people.",
        },
    )

    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why you are changing it (optional)",
        help_text="Everyone reads this beside the change in the program's history.",
    )

    def clean_anonymity_minimum(self) -> int:
        value = self.cleaned_data["anonymity_minimum"]
        if value < ANONYMITY_FLOOR:
            raise forms.ValidationError(
                f"Anonymity minimum must be at least {ANONYMITY_FLOOR} people: below that, "
                "anyone could work out who said what."
            )
        return int(value)


class SwitchesForm(forms.ModelForm):
    """Every other company-wide switch, labelled and explained by the model itself."""

    class Meta:
        model = Program
        fields = SWITCHES


class ReasonForm(forms.Form):
    """Confirming a preset or undoing a change, with an optional reason."""

    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (optional)",
        help_text="Everyone reads this beside the change in the program's history.",
    )


class SavePresetForm(forms.Form):
    """The current program kept as the company's own preset; HR admins read it."""

    name = forms.CharField(
        max_length=100,
        label="Name",
        error_messages={"required": "Name: give the preset a name, e.g. “Our 2026 program”."},
    )
    description = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Description (optional)",
        help_text="Who it suits and what it trades off. HR admins read it when choosing a preset.",
    )


class ImportPresetForm(forms.Form):
    """A preset file exported from Tandem (this installation or another)."""

    file = forms.FileField(
        label="Preset file (JSON)",
        help_text="A file from “Export”. It is checked whole: if any switch is wrong, nothing "
        "is imported and each problem is listed.",
        error_messages={"required": "File: choose a preset file to import."},
    )
