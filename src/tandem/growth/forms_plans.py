"""The forms of development plans' pages.

Who reads what is typed: the person and their managers up the line; HR admins and HR
partners only when the program makes development plans visible to HR.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.growth.models import ActionKind, ActionStatus, PlanStatus
from tandem.org.forms.hr import PersonPickerField
from tandem.org.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MENTOR = "mentor"
WHO_READS = (
    "Who reads this: you, the person and their managers up the line; HR only if your "
    "company's program says development plans are visible to HR."
)


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's messages beside the field they name (above the form otherwise)."""
        aliases = {"competency": "link", "goal": "link", "focus_areas": None, "owner": "owner"}
        for name, problems in error.message_dict.items():
            target = aliases.get(name, name)
            self.add_error(target if target in self.fields else None, problems)


class PlanForm(Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Optional, for example “Towards senior” or “Second half of 2026”.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Ends on", widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label="Status",
        choices=PlanStatus.choices,
        help_text="A draft is agreed in a 1:1, then made active. One active plan at a time.",
    )


class FocusAreaForm(Form):
    link = forms.ChoiceField(
        label="About",
        help_text="A competency of their career track, or one of their goals.",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Leave empty to use the competency's or the goal's name.",
    )
    notes = forms.CharField(
        label="Why this, and what good looks like",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, competencies: Any = (), goals: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", "Choose a competency or a goal")]
        if competencies:
            choices.append(
                ("Competencies of their track", [(f"c{c.pk}", c.name) for c in competencies])
            )
        if goals:
            choices.append(("Their goals", [(f"g{g.pk}", g.title) for g in goals]))
        self.fields["link"].choices = choices  # type: ignore[attr-defined]

    def linked(self) -> tuple[int | None, int | None]:
        """(competency id, goal id) from the choice."""
        value = self.cleaned_data["link"]
        number = int(value[1:])
        return (number, None) if value.startswith("c") else (None, number)


class ActionForm(Form):
    kind = forms.ChoiceField(label="Kind", choices=ActionKind.choices)
    text = forms.CharField(label="Action", max_length=300)
    owner = forms.ChoiceField(label="Owner")
    mentor = PersonPickerField(
        label="Mentor",
        required=False,
        help_text="Only when a mentor owns it: their work e-mail or employee id.",
    )
    due_on = forms.DateField(label="Due on", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, owners: list[Person], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].user = user  # type: ignore[attr-defined]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            *((str(p.pk), p.display_name) for p in owners),
            (MENTOR, "A mentor (name them below)"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == MENTOR and not data.get("mentor"):
            self.add_error("mentor", "Name the mentor who owns this action.")
        return data

    def owner_id(self) -> int:
        data = self.cleaned_data
        if data["owner"] == MENTOR:
            return int(data["mentor"].pk)
        return int(data["owner"])


class ActionStatusForm(Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)


class CheckinForm(Form):
    text = forms.CharField(
        label="How is it going?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
