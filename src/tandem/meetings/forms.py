"""Forms for 1:1 pages. They only parse; lengths, owners and dates are checked by the
services, whose messages name the field and land on it."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.meetings.models import Series
from tandem.org.models import Person
from tandem.org.widgets import PersonPicker
from tandem.program.models import MeetingCadence

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ScheduleFields(forms.Form):
    cadence = forms.ChoiceField(label="How often", choices=MeetingCadence.choices)
    first_start = forms.DateTimeField(
        label="First meeting",
        widget=DATETIME_WIDGET,
        help_text="In your time zone. Later meetings keep this weekday and time; monthly "
        "ones the same week of the month too (say, the third Thursday).",
        error_messages={"required": "Choose the date and time of the first meeting."},
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", initial=30, min_value=1, max_value=10_000
    )


class SeriesForm(ScheduleFields):
    report = forms.ModelChoiceField(
        label="Direct report",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        # The search finds any direct report; one already met in a series is refused here.
        widget=PersonPicker(filters={"within": "reports"}, key="pk"),
        error_messages={
            "required": "Choose the person you will meet.",
            "invalid_choice": "Choose one of your direct reports you have no 1:1 series with.",
        },
    )
    field_order = ["report", "cadence", "first_start", "duration_minutes"]

    def __init__(self, *args: Any, reports: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports  # type: ignore[attr-defined]


class SkipLevelForm(ScheduleFields):
    pass


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class AgendaForm(forms.Form):
    text = forms.CharField(label="Add to the agenda", required=False, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The meeting page holds several forms with a "text" field: keep their ids apart.
        kwargs.setdefault("auto_id", "agenda_%s")
        super().__init__(*args, **kwargs)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class DoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class SharedNotesForm(forms.Form):
    shared_notes = forms.CharField(
        label="Shared notes", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class PrivateNoteForm(forms.Form):
    private_note = forms.CharField(
        label="Your private note",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action item", required=False, strip=False)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    due_date = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, series: Series, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.series = series
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Choose who does it"),
            (series.manager_id, series.manager.display_name),
            (series.report_id, series.report.display_name),
        ]

    def owner_person(self) -> Person | None:
        chosen = self.cleaned_data.get("owner")
        for person in (self.series.manager, self.series.report):
            if person.pk == chosen:
                return person
        return None


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="New date and time",
        widget=DATETIME_WIDGET,
        error_messages={"required": "Choose the new date and time."},
    )
