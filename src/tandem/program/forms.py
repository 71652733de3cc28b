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
