"""Forms for the goal pages. They parse and offer choices; the services check and save.

Numbers are taken as text and handed to the services, which answer a non-number with a
message naming the field (the same message the API gives)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tandem.access.rules import actor_for, can, scope
from tandem.goals.models import (
    Goal,
    GoalLevel,
    Health,
    KeyResultKind,
    Period,
    Visibility,
)
from tandem.goals.queries import goals as queries
from tandem.goals.widgets import GoalPicker
from tandem.org.models import Department, Person, PersonStatus
from tandem.org.widgets import PersonPicker
from tandem.program.models import Program

PARENT_CHOICES_LIMIT = 300

WHO_SEES = {
    Visibility.PUBLIC: "Everyone in the company can see this goal, its key results, "
    "check-ins and comments.",
    Visibility.PRIVATE: "Only the owner, the owner's managers (all the way up) and HR admins "
    "can see this goal. Its progress still counts, without its title or owner, in the "
    "average of the goal it supports.",
}


NO_OPEN_PERIOD = (
    "No goal period is open yet: saving this goal opens the current one, as the program "
    "defines its periods."
)


def open_periods() -> QuerySet[Period]:
    return Period.objects.filter(closed_at__isnull=True).order_by("start_date", "name")


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """A short list of choices read with one plain query and kept on the field's queryset.

    Django's iterator reads through a server-side cursor each time the choices are walked
    (on PostgreSQL DECLARE … WITH HOLD, FETCH and CLOSE: three round trips), and a select
    walks them twice (its first choice decides the `required` attribute)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (periods, departments): see ListedChoiceIterator."""

    iterator = ListedChoiceIterator


def parent_choices(user: Any, *, level: str, keep: Goal | None) -> list:
    """The goals offered to align to: company and team goals of the open periods, and the
    goals of the user's own manager chain, by level and title. Any other visible goal can
    be chosen from its page ("Align a goal to this one"), which passes it as `keep`, and
    is accepted on saving (the field's queryset is every visible active goal)."""
    actor = actor_for(user)
    chain_ids = list(actor.person.ancestor_ids) if actor is not None else []
    rows = queries.parent_menu(user, level=level, chain_ids=chain_ids, limit=PARENT_CHOICES_LIMIT)
    if keep is not None and keep.pk not in {g.pk for g in rows}:
        rows.insert(0, keep)
    choices: list[tuple[Any, str]] = [("", "Not aligned to another goal")]
    for goal in rows:
        choices.append((goal.pk, f"{goal.get_level_display()}: {goal.title} ({goal.owner})"))
    return choices


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class GoalPickFilterForm(forms.Form):
    """What the "Supports" picker's search may be narrowed by (the typed `q` is read apart)."""

    level = forms.ChoiceField(choices=GoalLevel.choices, required=False)
    not_under = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ParentField(forms.ModelChoiceField):
    """Any goal the user may see; without JavaScript the menu shows a short, relevant list,
    with it the picker searches every goal the user may align to."""

    widget = GoalPicker

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_level_display()}: {obj.title}"


class KeyResultFields(forms.Form):
    """One key result, on its own or inside the goal form (prefixed "kr")."""

    title = forms.CharField(
        label="Key result",
        max_length=200,
        required=False,
        help_text="What will be measured, e.g. “Weekly active teams”.",
    )
    kind = forms.ChoiceField(
        label="Kind", choices=KeyResultKind.choices, initial=KeyResultKind.NUMBER
    )
    unit = forms.CharField(
        label="Unit", max_length=20, required=False, help_text="e.g. teams, EUR, %"
    )
    start_value = forms.CharField(label="Start value", required=False, initial="0")
    target_value = forms.CharField(label="Target", required=False)
    stretch_value = forms.CharField(label="Stretch target (optional)", required=False)
    current_value = forms.CharField(label="Current value", required=False)
    weight = forms.CharField(
        label="Weight",
        required=False,
        initial="1",
        help_text="How much this key result counts in the goal's progress.",
    )
    milestones = forms.CharField(
        label="Milestones (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for a milestone list.",
    )

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data
        spec = {
            "title": data["title"],
            "kind": data["kind"],
            "unit": data["unit"],
            "start_value": data["start_value"] or "0",
            "target_value": data["target_value"],
            "stretch_value": data["stretch_value"] or None,
            "current_value": data["current_value"] or None,
            "weight": data["weight"] or "1",
        }
        if data["kind"] == KeyResultKind.MILESTONES:
            spec["milestones"] = [line for line in data["milestones"].splitlines() if line.strip()]
        if data["kind"] == KeyResultKind.BOOLEAN:
            spec["current_value"] = data["current_value"] or "0"
        return spec


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What you want to achieve, in a sentence.")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it matters and what “done” looks like.",
    )
    level = forms.ChoiceField(label="Kind of goal", choices=GoalLevel.choices)
    department = ListedModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text="For a team goal: the team it belongs to.",
    )
    period = ListedModelChoiceField(queryset=open_periods(), empty_label=None)
    parent = ParentField(
        label="Supports (aligned to)",
        queryset=Goal.objects.none(),
        required=False,
        help_text="The wider goal this one helps achieve. Any goal of the same or a wider "
        "scope, in any department.",
    )
    visibility = forms.ChoiceField(
        label="Who will see this goal",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
    )
    manual_progress = forms.CharField(
        label="Progress (%) without key results",
        required=False,
        help_text="Only used while the goal has no key results.",
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        levels: list[str],
        keep_parent: Goal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choice_field(self, "level").choices = [c for c in GoalLevel.choices if c[0] in levels]
        period = model_field(self, "period")
        period.queryset = open_periods()
        # Read once here and kept for the menu (ListedChoiceIterator).
        if not period.queryset:
            self.fields["period"].help_text = NO_OPEN_PERIOD
            self.fields["period"].required = False
        model_field(self, "parent").queryset = queries.visible_goals(user).filter(state="active")
        level = self.data.get("level") or self.initial.get("level") or levels[-1]
        if level not in GoalLevel.values:
            level = GoalLevel.INDIVIDUAL
        self.fields["parent"].widget.choices = parent_choices(user, level=level, keep=keep_parent)
        self.fields["parent"].widget.filters = {"level": level}
        if not Program.current().private_goals_allowed:
            choice_field(self, "visibility").choices = [
                c for c in Visibility.choices if c[0] == Visibility.PUBLIC
            ]
        self.who_sees = WHO_SEES

    def clean_manual_progress(self) -> Any:
        value = (self.cleaned_data.get("manual_progress") or "").strip().rstrip("%")
        if not value:
            return None
        try:
            from decimal import Decimal

            number = Decimal(value)
        except Exception:
            raise ValidationError("Progress: enter a percentage from 0 to 100.") from None
        if not number.is_finite() or not 0 <= number <= 100:
            raise ValidationError("Progress: enter a percentage from 0 to 100.")
        return number / 100


class GoalEditForm(GoalForm):
    owner_email = forms.EmailField(
        label="Owner",
        help_text="Hand the goal to someone else: type two letters of their name and pick, "
        "or their work e-mail.",
        widget=PersonPicker(),
    )
    health = forms.ChoiceField(
        label="Status", choices=[("", "Not set yet"), *Health.choices], required=False
    )
    reason = forms.CharField(
        label="Why the change (optional)",
        max_length=500,
        required=False,
        help_text="Shown in the goal's history next to the change. Target and date changes "
        "after the period started count as goal churn.",
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, levels=[goal.level], keep_parent=goal.parent, **kwargs)
        del self.fields["level"]
        self.goal = goal
        menu = self.fields["parent"].widget.choices
        model_field(self, "parent").queryset = (
            queries.visible_goals(self.user)
            .filter(state="active")
            .exclude(path__startswith=goal.path)
        )
        # Setting a queryset resets the menu to every goal it holds (hundreds of thousands
        # at 100k people: a page of 40 s); keep the short menu, validate against all.
        self.fields["parent"].widget.choices = menu
        self.fields["parent"].widget.filters = {"level": goal.level, "not_under": str(goal.pk)}
        periods = open_periods() | Period.objects.filter(pk=goal.period_id)
        model_field(self, "period").queryset = periods.distinct()

    def clean_owner_email(self) -> Person:
        email = self.cleaned_data["owner_email"].strip().lower()
        person = (
            scope(self.user, Person.objects.filter(email=email))
            .exclude(status=PersonStatus.LEFT)
            .first()
        )
        if person is None:
            raise ValidationError("Owner: nobody in the company has that work e-mail.")
        return person


class KeyResultForm(KeyResultFields):
    reason = forms.CharField(label="Why the change (optional)", max_length=500, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mention someone with @ and their e-mail name (@ana.lee) or name (@Ana Lee); "
        "they will be notified.",
    )


class CloseForm(forms.Form):
    score = forms.CharField(label="Score")
    reflection = forms.CharField(
        label="Reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what did not, what you learned.",
    )
    carry_over = forms.BooleanField(
        label="Carry the unfinished part into the next period",
        required=False,
        help_text="A copy with the same key results and current values starts in the next "
        "period, linked to this goal.",
    )


class PeriodForm(forms.Form):
    name = forms.CharField(max_length=60)
    start_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))


class BulkAssignForm(KeyResultFields):
    WHO_CHOICES = [
        ("direct", "My direct reports"),
        ("organisation", "Everyone in my organisation (all levels below me)"),
        ("department", "A department (HR admins)"),
    ]

    goal_title = forms.CharField(label="Goal title", max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period = forms.ModelChoiceField(queryset=open_periods(), empty_label=None)
    parent = ParentField(
        label="Supports (aligned to)", queryset=Goal.objects.none(), required=False
    )
    who = forms.ChoiceField(label="Give it to", choices=WHO_CHOICES, widget=forms.RadioSelect)
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text="With its sub-departments.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["title"].required = False
        model_field(self, "period").queryset = open_periods()
        model_field(self, "parent").queryset = queries.visible_goals(user).filter(state="active")
        self.fields["parent"].widget.choices = parent_choices(
            user, level=GoalLevel.INDIVIDUAL, keep=None
        )
        self.fields["parent"].widget.filters = {"level": GoalLevel.INDIVIDUAL}
        actor = actor_for(user)
        allowed = []
        if actor is not None and actor.is_manager:
            allowed += ["direct", "organisation"]
        if actor is not None and actor.is_hr_admin:
            allowed.append("department")
        choice_field(self, "who").choices = [c for c in self.WHO_CHOICES if c[0] in allowed]
        if not (actor is not None and actor.is_hr_admin):
            del self.fields["department"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("who") == "department" and not data.get("department"):
            self.add_error("department", "Department: choose the department to give it to.")
        return data

    def people(self) -> QuerySet[Person]:
        data = self.cleaned_data
        person = self.user
        active = Person.objects.exclude(status=PersonStatus.LEFT)
        if data["who"] == "direct":
            return active.filter(manager_id=person.pk)
        if data["who"] == "organisation":
            return active.filter(path__startswith=person.path).exclude(pk=person.pk)
        department = data["department"]
        return active.filter(department__path__startswith=department.path)

    def can_choose_department(self) -> bool:
        return can(self.user, "period.manage")
