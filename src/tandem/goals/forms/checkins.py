"""Forms for goal check-ins and the weekly check-in. They parse; the services decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.core.forms import show_errors
from tandem.goals.models import Goal, Health, KeyResult, KeyResultKind, Milestone, Priority
from tandem.goals.services.checkins import MAX_CONFIDENCE, MAX_PRIORITIES, NOTE_LIMIT, kr_field

CONFIDENCE_MESSAGE = (
    f"Confidence is a whole number from 0 (no chance) to {MAX_CONFIDENCE} (certain)."
)


def milestone_field(milestone_id: int) -> str:
    return f"ms_{milestone_id}"


class CheckInForm(forms.Form):
    """New values for each key result, a status, a confidence and a note."""

    health = forms.ChoiceField(
        label="Status",
        choices=Health.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status: on track, at risk or off track."},
    )
    confidence = forms.IntegerField(
        label=f"Confidence (0–{MAX_CONFIDENCE})",
        min_value=0,
        max_value=MAX_CONFIDENCE,
        help_text="How sure are you the goal will be met by the end of the period?",
        error_messages={
            "required": CONFIDENCE_MESSAGE,
            "invalid": CONFIDENCE_MESSAGE,
            "min_value": CONFIDENCE_MESSAGE,
            "max_value": CONFIDENCE_MESSAGE,
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What moved, what is in the way, what you need. Your manager reads it.",
    )

    def __init__(
        self,
        *args: Any,
        goal: Goal,
        key_results: Sequence[KeyResult],
        milestones: Sequence[Milestone],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.key_results = list(key_results)
        self.milestones = list(milestones)
        if goal.health:
            self.fields["health"].initial = goal.health
        for key_result in self.key_results:
            name = kr_field(key_result.pk)
            if key_result.kind == KeyResultKind.BOOLEAN:
                self.fields[name] = forms.BooleanField(
                    label=f"{key_result.title}: done",
                    required=False,
                    initial=key_result.current_value == key_result.target_value,
                )
            elif key_result.kind != KeyResultKind.MILESTONES:
                unit = f" ({key_result.unit})" if key_result.unit else ""
                self.fields[name] = forms.DecimalField(
                    label=f"{key_result.title}{unit}",
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                    initial=f"{key_result.current_value.normalize():f}",
                    help_text=(
                        f"From {key_result.start_value.normalize():f} to "
                        f"{key_result.target_value.normalize():f}. Leave as is if unchanged."
                    ),
                    error_messages={
                        "invalid": f"{key_result.title}: enter a number, like 42 or 3.5.",
                    },
                )
        for milestone in self.milestones:
            self.fields[milestone_field(milestone.pk)] = forms.BooleanField(
                label=milestone.title, required=False, initial=milestone.done_at is not None
            )

    def value_fields(self) -> list[tuple[KeyResult, Any]]:
        """Each key result with its bound field (milestone key results with their steps)."""
        rows: list[tuple[KeyResult, Any]] = []
        for key_result in self.key_results:
            if key_result.kind == KeyResultKind.MILESTONES:
                steps = [
                    self[milestone_field(m.pk)]
                    for m in self.milestones
                    if m.key_result_id == key_result.pk
                ]
                rows.append((key_result, steps))
            else:
                rows.append((key_result, self[kr_field(key_result.pk)]))
        return rows

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[int, Any] = {}
        for key_result in self.key_results:
            name = kr_field(key_result.pk)
            if key_result.kind == KeyResultKind.BOOLEAN:
                values[key_result.pk] = bool(data.get(name))
            elif key_result.kind != KeyResultKind.MILESTONES and data.get(name) is not None:
                values[key_result.pk] = data[name]
        done = {m.pk for m in self.milestones if data.get(milestone_field(m.pk))}
        undone = {m.pk for m in self.milestones if not data.get(milestone_field(m.pk))}
        return {
            "health": data["health"],
            "confidence": data["confidence"],
            "note": data.get("note", ""),
            "values": values,
            "milestones_done": done,
            "milestones_undone": undone,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        show_errors(self, error)


NOT_LINKED = ""
DONE_CHOICES = [("", "Not said"), ("done", "Done"), ("not_done", "Not done")]


class WeeklyForm(forms.Form):
    """This week's priorities (each linked to a goal or not), last week's done or not, and a
    note. Rows with no title are ignored."""

    note = forms.CharField(
        label="Anything else this week?",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        goals: Sequence[Goal],
        priorities: Sequence[Priority],
        last_week: Sequence[Priority],
        carried_ids: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.last_week = list(last_week)
        self.carried_ids = carried_ids
        goal_choices = [(NOT_LINKED, "Not linked to a goal")] + [
            (str(g.pk), f"{g.title} ({g.period.name})") for g in goals
        ]
        self.slots = min(MAX_PRIORITIES, max(len(priorities) + 2, 4))
        for index in range(self.slots):
            existing = priorities[index] if index < len(priorities) else None
            self.fields[f"priority_{index}_title"] = forms.CharField(
                label=f"Priority {index + 1}",
                required=False,
                max_length=200,
                initial=existing.title if existing else "",
            )
            initial_goal = str(existing.goal_id) if existing and existing.goal_id else NOT_LINKED
            choices = list(goal_choices)
            if initial_goal and initial_goal not in {c for c, _ in choices}:
                choices.append((initial_goal, "A goal that has since closed"))
            self.fields[f"priority_{index}_goal"] = forms.ChoiceField(
                label=f"Goal for priority {index + 1}",
                required=False,
                choices=choices,
                initial=initial_goal,
            )
            self.fields[f"priority_{index}_carried"] = forms.IntegerField(
                required=False,
                widget=forms.HiddenInput,
                initial=existing.carried_from_id if existing else None,
            )
        for priority in self.last_week:
            initial = "" if priority.done is None else ("done" if priority.done else "not_done")
            self.fields[f"last_{priority.pk}"] = forms.ChoiceField(
                label=priority.title,
                required=False,
                choices=DONE_CHOICES,
                initial=initial,
                widget=forms.RadioSelect,
            )
            if priority.pk not in carried_ids:
                self.fields[f"carry_{priority.pk}"] = forms.BooleanField(
                    label="Carry into this week", required=False
                )

    def priority_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (
                self[f"priority_{i}_title"],
                self[f"priority_{i}_goal"],
                self[f"priority_{i}_carried"],
            )
            for i in range(self.slots)
        ]

    def last_week_rows(self) -> list[tuple[Priority, Any, Any]]:
        return [
            (
                p,
                self[f"last_{p.pk}"],
                self[f"carry_{p.pk}"] if f"carry_{p.pk}" in self.fields else None,
            )
            for p in self.last_week
        ]

    def service_arguments(self) -> tuple[dict[str, Any], dict[int, int]]:
        """The service's keyword arguments, and which form row each priority came from (to
        put the service's errors on the right row)."""
        data = self.cleaned_data
        priorities: list[tuple[str, int | None, int | None]] = []
        rows: dict[int, int] = {}
        for index in range(self.slots):
            title = (data.get(f"priority_{index}_title") or "").strip()
            goal = data.get(f"priority_{index}_goal") or NOT_LINKED
            if not title:
                if goal != NOT_LINKED:
                    self.add_error(f"priority_{index}_title", "Write what the priority is.")
                continue
            rows[len(priorities)] = index
            priorities.append(
                (title, int(goal) if goal else None, data.get(f"priority_{index}_carried"))
            )
        done: dict[int, bool | None] = {}
        carry: list[int] = []
        for priority in self.last_week:
            answer = data.get(f"last_{priority.pk}") or ""
            done[priority.pk] = None if answer == "" else answer == "done"
            if data.get(f"carry_{priority.pk}"):
                carry.append(priority.pk)
        arguments = {
            "priorities": priorities,
            "done": done,
            "carry_over": carry,
            "note": data.get("note", ""),
        }
        return arguments, rows

    def add_service_errors(self, error: ValidationError, rows: Mapping[int, int]) -> None:
        if not hasattr(error, "error_dict"):
            show_errors(self, error)
            return
        for name, errors in error.message_dict.items():
            target = name
            if name.startswith("priority_"):
                _, number, part = name.split("_", 2)
                if number.isdigit() and int(number) in rows:
                    target = f"priority_{rows[int(number)]}_{part}"
            for message in errors:
                self.add_error(target if target in self.fields else None, message)
