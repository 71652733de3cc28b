"""The program editor's form: HR admins' choices, checked before the service saves them."""

from __future__ import annotations

from datetime import date

from django import forms

from tandem.program.models import ANONYMITY_FLOOR, MONTHS, SWITCHES, Program, Purpose
from tandem.program.setup import CALENDAR_FIELDS, VISIBILITY_FIELDS


def months_field() -> forms.TypedMultipleChoiceField:
    """The review months, ticked one by one (`Program.review_months`)."""
    return forms.TypedMultipleChoiceField(
        choices=MONTHS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Review cycles open in",
        help_text=str(Program._meta.get_field("review_months").help_text),
    )


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

    review_months = months_field()

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


# --- The guided set-up (program/setup.py) ----------------------------------------------------
# HR admins fill these in; everyone reads the result on the program page, and the values
# beside every piece of praise. Messages do not repeat the field's label: the step shows
# each beside its field, and in the summary at the top after the label.

MAX_VALUES = 50
VALUE_NAME_MAX = 100


class SetupWhyForm(forms.Form):
    """Step 1: what the process is used for and why, in the company's own words. Everyone
    reads both on the program page."""

    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What the results are used for",
        error_messages={
            "required": "Tick at least one use, so everyone "
            "knows what happens with what they write."
        },
    )
    purpose_statement = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why we do it, in our own words",
        error_messages={
            "required": "Write a sentence or two in your own words; it opens the program page.",
            "max_length": "At most %(limit_value)d characters (it has %(show_value)d).",
        },
    )


class SetupValuesForm(forms.Form):
    """Step 2: the company's values, one a line. Everyone reads them on the company page and
    beside the praise tied to them."""

    values = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Our values, one a line",
        help_text="Write the value's name, a colon, then what living it looks like, e.g. "
        "“Customer first: we start from what the customer needs.” Leave it empty to add "
        "values later.",
    )

    def clean_values(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["values"].splitlines()]
        values: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        errors = []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            name, _, description = line.partition(":")
            name, description = name.strip(), description.strip()
            if not name:
                errors.append(f"Line {number}: write the value's name before the colon.")
            elif len(name) > VALUE_NAME_MAX:
                errors.append(
                    f"Line {number}: a name has at most {VALUE_NAME_MAX} characters; "
                    "put the explanation after a colon."
                )
            elif name.lower() in seen:
                errors.append(f"Line {number}: “{name}” is already on line {seen[name.lower()]}.")
            else:
                seen[name.lower()] = number
                values.append((name, description))
        if len(values) > MAX_VALUES:
            errors.append(f"At most {MAX_VALUES} values (there are {len(values)}).")
        if errors:
            raise forms.ValidationError(errors)
        return values


KEEP_CURRENT = ""


class SetupPresetForm(forms.Form):
    """Step 3: a preset to start from, or the program as it is. HR admins read the choices;
    everyone reads the result on the program page."""

    preset = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        label="Start from",
        error_messages={
            "invalid_choice": "Choose one of the presets listed, or keep the current settings."
        },
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["preset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*choices, (KEEP_CURRENT, "Keep the current settings")]


class SetupCalendarForm(forms.ModelForm):
    """Step 4: when things happen, and what a new review cycle starts from (peer and upward
    reviews, the overall score, how long each step lasts). Everyone reads it under "What
    happens when"."""

    review_months = months_field()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        days = self.fields["review_phase_days"]
        days.error_messages.update(
            {
                "required": "Give a number of days (14 is the usual choice).",
                "invalid": "Give a whole number of days.",
                "min_value": "At least %(limit_value)s days: a step needs time to be done.",
                "max_value": "At most %(limit_value)s days: six steps that long already "
                "fill a year.",
            }
        )
        self.fields["review_score"].error_messages["invalid_choice"] = (
            "Choose one of the ways listed."
        )

    class Meta:
        model = Program
        fields = CALENDAR_FIELDS
        widgets = {
            "fiscal_year_start_month": forms.Select(
                choices=[(m, date(2000, m, 1).strftime("%B")) for m in range(1, 13)]
            ),
        }


class SetupVisibilityForm(forms.ModelForm):
    """Step 5: who reads what, and the anonymity minimum. Everyone reads it under "Who sees
    what" and "How anonymity works"."""

    class Meta:
        model = Program
        fields = VISIBILITY_FIELDS
        labels = {"anonymity_minimum": "Anonymity minimum (people)"}
        widgets = {"anonymity_minimum": forms.NumberInput(attrs={"min": ANONYMITY_FLOOR})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        minimum = self.fields["anonymity_minimum"]
        minimum.error_messages.update(
            {
                "required": "Give a number of people (5 is the usual choice).",
                "invalid": "Give a whole number of people.",
                "min_value": f"At least {ANONYMITY_FLOOR}; below "
                "that, anyone could work out who said what.",
            }
        )

    def clean_anonymity_minimum(self) -> int:
        value = self.cleaned_data["anonymity_minimum"]
        if value < ANONYMITY_FLOOR:
            raise forms.ValidationError(
                f"At least {ANONYMITY_FLOOR}; below that, anyone could work out who said what."
            )
        return int(value)
