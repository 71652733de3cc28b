"""The forms of promotion windows and cases.

Who reads what is typed: a window's name, dates and committee are read by everyone (names and
dates) and HR admins (the committee). A case's text, the comments on it and the evidence are
read by its author, the person's managers, HR admins and the window's committee. The
decision's reason and the development actions are read by the same people and, once the
case is decided, by the person it is about.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.growth.models import Outcome
from tandem.org.forms.hr import PersonPickerField, find_active_person
from tandem.org.models import Person
from tandem.org.widgets import PersonPicker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PEOPLE_HELP = "Type two letters of a name and pick; or work e-mails, one per line."
CASE_READERS = (
    "Read by you, the person's managers, HR admins and the window's committee; the person "
    "reads the decision and its reason once the case is decided."
)


def people_from(user: Any, text: str, field: str) -> list[Person]:
    """The active people named in a picker's text, or a message naming the line."""
    found: list[Person] = []
    for value in [v.strip() for v in re.split(r"[\n,;]+", text or "") if v.strip()][:50]:
        try:
            found.append(find_active_person(user, value))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return found


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommitteeForm(Form):
    committee = forms.CharField(
        label="Committee",
        required=False,
        max_length=5000,
        widget=PersonPicker(multiple=True),
        help_text="They read every case of the window, comment and decide. " + PEOPLE_HELP,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_committee(self) -> list[Person]:
        return people_from(self.user, self.cleaned_data.get("committee") or "", "committee")


class WindowForm(CommitteeForm):
    """HR opens a promotion window: its name, its deadlines and its committee."""

    name = forms.CharField(label="Name", max_length=150, help_text="For example “Spring 2027”.")
    opens_on = forms.DateField(label="Opens on", widget=DATE)
    cases_due_on = forms.DateField(
        label="Cases due on", widget=DATE, help_text="No new case is opened after this day."
    )
    decisions_due_on = forms.DateField(label="Decisions due on", widget=DATE)

    field_order = ["name", "opens_on", "cases_due_on", "decisions_due_on", "committee"]


class CaseForm(Form):
    """A manager (or the person, when self-nomination is on) opens a case."""

    person = PersonPickerField(
        label="Who", help_text="Someone who reports to you, directly or below."
    )
    target_level = forms.TypedChoiceField(label="Level to promote to", coerce=int)
    text = forms.CharField(
        label="The case",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Why they are ready, with examples; you can finish it later. " + CASE_READERS,
    )

    def __init__(
        self, *args: Any, user: Any, levels: list[tuple[str, list[tuple[int, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, PersonPickerField)
        person.user = user
        target = self.fields["target_level"]
        assert isinstance(target, forms.TypedChoiceField)
        target.choices = [("", "Choose a level"), *levels]


class CaseTextForm(Form):
    text = forms.CharField(
        label="The case",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=CASE_READERS,
    )


class CommentForm(Form):
    text = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Read by the author, the person's managers, HR admins and the committee.",
    )


class DecideForm(Form):
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. The person reads it with the outcome.",
    )
    effective_on = forms.DateField(
        label="Effective from",
        required=False,
        widget=DATE,
        help_text="For a promotion: the day the new level starts.",
    )
    development_actions = forms.CharField(
        label="Development actions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For “not yet”: what would make the case next time.",
    )
