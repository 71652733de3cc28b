"""The forms of calibration's pages.

Who reads what is typed: a session's name, scope and people are read by HR admins, its
facilitators and the managers who take part. A reason for an adjustment is read by HR
admins and the session's facilitators (on the session and the review's history); the
reason of the last change to someone's rating may be shown to that person, in one
sentence, when the company's program says so.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.calibration.models import ReasonCategory, ScopeKind
from tandem.org.forms.hr import DepartmentChoiceField, PersonPickerField, find_active_person
from tandem.org.models import Department, Person
from tandem.org.widgets import PersonPicker

POTENTIAL_CHOICES = [("1", "1 · Low"), ("2", "2 · Medium"), ("3", "3 · High")]
PEOPLE_HELP = "Type two letters of a name and pick; or work e-mails, one per line."


def people_from(user: Any, text: str, field: str) -> list[Person]:
    """The active people named in a picker's text (e-mails or employee ids, one per line or
    separated by commas), or a message naming the line."""
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


class SessionForm(Form):
    """HR creates a session: who it discusses and who leads it."""

    name = forms.CharField(label="Name", max_length=150, help_text="For example “Engineering”.")
    scope_kind = forms.ChoiceField(
        label="Who it discusses", choices=ScopeKind.choices, widget=forms.RadioSelect
    )
    department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label="Department",
        empty_label="Choose a department",
        help_text="With its sub-departments. Only for “a department”.",
    )
    manager = PersonPickerField(
        required=False,
        label="Manager",
        help_text="Everyone under them. Only for “everyone under a manager”.",
    )
    level = forms.ChoiceField(label="Level", required=False, help_text="Only for “a level”.")
    people = forms.CharField(
        label="People",
        required=False,
        max_length=5000,
        widget=PersonPicker(multiple=True),
        help_text="Only for “people picked by hand”. " + PEOPLE_HELP,
    )
    facilitators = forms.CharField(
        label="Facilitators",
        max_length=5000,
        widget=PersonPicker(multiple=True),
        help_text="They lead the session, adjust ratings with reasons and lock it. " + PEOPLE_HELP,
    )

    def __init__(self, *args: Any, user: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        manager = self.fields["manager"]
        assert isinstance(manager, PersonPickerField)
        manager.user = user
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.order_by("path").only(
            "id", "name", "depth", "path"
        )
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [("", "Choose a level"), *((value, value) for value in levels)]

    def clean_people(self) -> list[Person]:
        return people_from(self.user, self.cleaned_data.get("people") or "", "people")

    def clean_facilitators(self) -> list[Person]:
        found = people_from(self.user, self.cleaned_data.get("facilitators") or "", "facilitators")
        if not found:
            raise ValidationError("Choose at least one facilitator.")
        return found


class AdjustForm(Form):
    """Move one person: a new rating and/or potential, and why."""

    rating = forms.ChoiceField(label="Rating", required=False)
    potential = forms.ChoiceField(
        label="Potential", required=False, choices=[("", "Unchanged"), *POTENTIAL_CHOICES]
    )
    category = forms.ChoiceField(
        label="Why, in a word",
        choices=[("", "Choose a reason"), *ReasonCategory.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Read by HR and the facilitators; the person may read it if their rating "
        "changes and the company shares that.",
    )

    def __init__(self, *args: Any, points: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = [("", "Unchanged"), *((str(n), str(n)) for n in range(1, points + 1))]


class GuidelineForm(Form):
    """The guideline distribution: percent of people per rating point."""

    def __init__(self, *args: Any, points: int, guideline: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for point in range(1, points + 1):
            self.fields[f"point_{point}"] = forms.IntegerField(
                label=f"Rating {point} (%)",
                required=False,
                min_value=0,
                max_value=100,
                initial=guideline.get(str(point)),
            )

    def guideline(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("point_")): value
            for name, value in self.cleaned_data.items()
            if value is not None
        }


class AddPeopleForm(Form):
    """HR adds people of the cycle, not discussed in another session yet, to a session."""

    people = forms.CharField(
        label="People to add",
        max_length=5000,
        widget=PersonPicker(multiple=True),
        help_text=PEOPLE_HELP,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_people(self) -> list[Person]:
        found = people_from(self.user, self.cleaned_data.get("people") or "", "people")
        if not found:
            raise ValidationError("Choose at least one person.")
        return found
