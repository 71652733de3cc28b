"""Forms for the HR setup pages. They parse; the services check and name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.org.models import Department, Person, PersonStatus
from tandem.org.widgets import PersonPicker
from tandem.reviews.models import (
    PHASE_ORDER,
    Cycle,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Relationship,
    ScoreMethod,
    Template,
    UseFor,
)
from tandem.reviews.services.setup import MAX_POINTS
from tandem.reviews.versions import RATED_KINDS

COMMENTS_ONLY = "none"  # the scale choice that means written comments, no rating
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_EMAILS = 500


class ScaleForm(forms.Form):
    """A name, a description, and up to ten points (blank rows are left out)."""

    name = forms.CharField(label="Name", max_length=150)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_POINTS + 1):
            self.fields[f"label_{n}"] = forms.CharField(
                label=f"Point {n}: label", required=False, max_length=100
            )
            self.fields[f"description_{n}"] = forms.CharField(
                label=f"Point {n}: what it means", required=False, max_length=5000
            )

    @staticmethod
    def initial_for(scale: RatingScale) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": scale.name, "description": scale.description}
        for n, point in enumerate(scale.points, start=1):
            initial[f"label_{n}"] = point.get("label", "")
            initial[f"description_{n}"] = point.get("description", "")
        return initial

    def points(self) -> list[dict[str, str]]:
        rows = [
            {
                "label": self.cleaned_data.get(f"label_{n}", ""),
                "description": self.cleaned_data.get(f"description_{n}", ""),
            }
            for n in range(1, MAX_POINTS + 1)
        ]
        while rows and not rows[-1]["label"].strip() and not rows[-1]["description"].strip():
            rows.pop()
        return rows

    def point_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"label_{n}"], self[f"description_{n}"]) for n in range(1, MAX_POINTS + 1)]

    def main_fields(self) -> list[Any]:
        return [self["name"], self["description"]]


class TemplateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    relationship = forms.ChoiceField(label="Who writes it", choices=Relationship.choices)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)


class SectionForm(forms.Form):
    title = forms.CharField(label="Section title", max_length=200)
    description = forms.CharField(
        label="What this section is about", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Type of question", choices=QuestionKind.choices)
    prompt = forms.CharField(label="Question", max_length=500)
    help_text = forms.CharField(
        label="Help for the writer", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)
    scale = forms.ChoiceField(
        label="Rating scale",
        required=False,
        help_text="A rating question needs a scale. Competency, goal and value questions are "
        "rated on a scale, or take written comments only: choose which. Free text has no scale.",
    )
    allow_comment = forms.BooleanField(label="Allow a comment", required=False, initial=True)
    items = forms.CharField(
        label="Competencies",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Competency questions only: one per line, as “Name: what it means” (1 to 20).",
    )
    from_framework = forms.BooleanField(
        label="Draw the competencies from each person's career framework",
        required=False,
        help_text="Competency questions only: each person is rated on the competencies of "
        "their own track, with what their level expects, as the framework stood at launch. "
        "The list above is then not used.",
    )
    is_overall = forms.BooleanField(
        label="This is the overall rating (used as “the manager's rating” in scores)",
        required=False,
    )

    def __init__(self, *args: Any, scales: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scales = {str(scale.pk): scale for scale in scales}
        field = self.fields["scale"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Choose…"),
            (COMMENTS_ONLY, "No rating: written comments only"),
            *((pk, scale.name) for pk, scale in self.scales.items()),
        ]
        # The only scale there is is the one a new question means (issue 16): shown chosen,
        # never assumed for a question whose scale was saved otherwise.
        if len(self.scales) == 1 and not self.is_bound and "scale" not in self.initial:
            self.initial["scale"] = next(iter(self.scales))

    @staticmethod
    def scale_initial(kind: str, scale: RatingScale | None) -> str:
        """The scale choice of a saved question: its scale, or "comments only"."""
        if scale is not None:
            return str(scale.pk)
        return COMMENTS_ONLY if kind in RATED_KINDS else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice = cleaned.get("scale") or ""
        if cleaned.get("kind") in RATED_KINDS and not choice:
            # Never guess "comments only": a forgotten scale would silently take no ratings.
            self.add_error(
                "scale",
                "Choose a rating scale, or “No rating: written comments only”.",
            )
        cleaned["scale"] = self.scales.get(choice)
        return cleaned

    @staticmethod
    def items_text(items: list[dict[str, str]]) -> str:
        return "\n".join(f"{i.get('name', '')}: {i.get('description', '')}" for i in items)

    def parsed_items(self) -> list[dict[str, str]]:
        items = []
        for line in (self.cleaned_data.get("items") or "").splitlines():
            if not line.strip():
                continue
            name, _, description = line.partition(":")
            items.append({"name": name.strip(), "description": description.strip()})
        return items


class CycleBasicsForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    period_start = forms.DateField(label="Review period from", widget=DATE)
    period_end = forms.DateField(label="Review period to", widget=DATE)


class CycleNewForm(CycleBasicsForm):
    """A new cycle: its name, review period and the day its first phase opens; everything
    else comes from the program and is changed on the cycle's set-up page. HR admins read
    it; every reviewer sees the name and period on their review forms."""

    starts_on = forms.DateField(
        label="First phase opens on",
        required=False,
        widget=DATE,
        help_text="Each phase then lasts as many days as the program says, one after the "
        "other; you can move any date before launching. Leave it empty to give the dates "
        "later.",
    )


def _people_by_email(text: str, field: str) -> list[Person]:
    emails = sorted({e.strip().lower() for e in text.replace(",", "\n").splitlines() if e.strip()})
    if len(emails) > MAX_EMAILS:
        raise forms.ValidationError(f"List at most {MAX_EMAILS} e-mail addresses here.")
    found = {p.email.lower(): p for p in Person.objects.filter(email__in=emails)}
    unknown = [e for e in emails if e not in found]
    if unknown:
        raise forms.ValidationError(f"No one has the e-mail {', '.join(unknown[:5])}.")
    gone = [p for p in found.values() if p.status == PersonStatus.LEFT]
    if gone and field == "additions":
        raise forms.ValidationError(f"{gone[0]} has left the company.")
    return list(found.values())


class CycleRulesForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label="Departments (sub-departments included; none chosen: the whole company)",
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    started_before = forms.DateField(
        label="Only people who started before",
        required=False,
        widget=DATE,
        help_text="People with no start date on record are included.",
    )
    exclude_on_leave = forms.BooleanField(label="Leave out people on leave", required=False)
    additions = forms.CharField(
        label="Also include",
        required=False,
        widget=PersonPicker(multiple=True),
        help_text="Type two letters of a name and pick; or work e-mails, one per line.",
    )
    removals = forms.CharField(
        label="Leave out",
        required=False,
        widget=PersonPicker(multiple=True, filters={"left": "on"}),
        help_text="Type two letters of a name and pick; or work e-mails, one per line.",
    )

    def clean_additions(self) -> list[Person]:
        return _people_by_email(self.cleaned_data.get("additions") or "", "additions")

    def clean_removals(self) -> list[Person]:
        return _people_by_email(self.cleaned_data.get("removals") or "", "removals")

    @staticmethod
    def initial_for(cycle: Cycle) -> dict[str, Any]:
        ids = [*(cycle.manual_additions or []), *(cycle.manual_removals or [])]
        emails = dict(Person.objects.filter(pk__in=ids).values_list("pk", "email"))
        return {
            "departments": list(cycle.rule_departments.all()),
            "started_before": cycle.rule_started_before,
            "exclude_on_leave": cycle.rule_exclude_on_leave,
            "additions": "\n".join(emails.get(i, "") for i in cycle.manual_additions or []),
            "removals": "\n".join(emails.get(i, "") for i in cycle.manual_removals or []),
        }


class CycleFormsForm(forms.Form):
    """A template per relationship; "not taking part" leaves the relationship out."""

    def __init__(self, *args: Any, templates: dict[str, list[Template]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {t.pk: t for group in templates.values() for t in group}
        for relationship in Relationship:
            choices = [("", "Not taking part")] + [
                (str(t.pk), t.name) for t in templates[relationship.value]
            ]
            self.fields[relationship.value] = forms.ChoiceField(
                label=relationship.label, choices=choices, required=False
            )

    def chosen(self) -> dict[str, Template | None]:
        return {
            relationship: self.templates.get(int(value)) if value else None
            for relationship, value in self.cleaned_data.items()
        }


class CycleSettingsForm(forms.Form):
    use_for = forms.ChoiceField(
        label="What the results are used for",
        choices=UseFor.choices,
        help_text="Every review form says it. Calibration is mentioned only when the cycle "
        "has calibration dates and ratings; pay or promotion as the program names them.",
    )
    peers_anonymous_to_reviewee = forms.BooleanField(
        label="Peer names hidden from the person reviewed", required=False
    )
    peer_names_hidden_from_hr = forms.BooleanField(
        label="Peer and upward names hidden from HR too", required=False
    )
    reviewee_sees_peer_reviews = forms.BooleanField(
        label="The person reviewed reads peer reviews once shared", required=False
    )
    peers_min = forms.IntegerField(label="Fewest peers", min_value=0, max_value=20)
    peers_max = forms.IntegerField(label="Most peers", min_value=1, max_value=20)
    peer_review_cap = forms.IntegerField(
        label="Most peer reviews one person is asked to write", min_value=1, max_value=50
    )
    score_method = forms.ChoiceField(label="Overall score", choices=ScoreMethod.choices)
    weight_goals = forms.IntegerField(label="Weight: goals", min_value=0, max_value=100)
    weight_competencies = forms.IntegerField(
        label="Weight: competencies", min_value=0, max_value=100
    )
    weight_manager = forms.IntegerField(label="Weight: manager rating", min_value=0, max_value=100)
    weight_self = forms.IntegerField(label="Weight: self rating", min_value=0, max_value=100)
    weight_peers = forms.IntegerField(label="Weight: peer ratings", min_value=0, max_value=100)
    release_on = forms.DateField(
        label="Share every submitted manager review on",
        required=False,
        widget=DATE,
        help_text="Leave empty to let each manager share when the sharing phase opens.",
    )


class LaunchForm(forms.Form):
    """The launch confirmation: the numbers HR saw, so a launch whose numbers changed since
    (rules, people or templates edited meanwhile) is shown again instead of sent."""

    people = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reviews = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class PhasesForm(forms.Form):
    """Two dates per phase; calibration may stay empty (sessions may still be held)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in PHASE_ORDER:
            label = PhaseKind(kind).label
            self.fields[f"{kind}_opens_on"] = forms.DateField(
                label=f"{label}: opens", required=False, widget=DATE
            )
            self.fields[f"{kind}_due_on"] = forms.DateField(
                label=f"{label}: due", required=False, widget=DATE
            )

    @staticmethod
    def initial_for(phases: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for phase in phases:
            initial[f"{phase.kind}_opens_on"] = phase.opens_on
            initial[f"{phase.kind}_due_on"] = phase.due_on
        return initial

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (PhaseKind(k).label, self[f"{k}_opens_on"], self[f"{k}_due_on"]) for k in PHASE_ORDER
        ]

    def dates(self) -> dict[str, Any]:
        dates: dict[str, Any] = {}
        for kind in PHASE_ORDER:
            opens = self.cleaned_data.get(f"{kind}_opens_on")
            due = self.cleaned_data.get(f"{kind}_due_on")
            if opens is None and due is None:
                dates[kind] = None
            elif opens is None or due is None:
                missing = "opening" if opens is None else "due"
                field = f"{kind}_opens_on" if opens is None else f"{kind}_due_on"
                label = PhaseKind(kind).label
                raise forms.ValidationError({field: f"{label}: give the {missing} date too."})
            else:
                dates[kind] = (opens, due)
        return dates


class AddParticipantForm(forms.Form):
    email = forms.EmailField(
        label="Person to add",
        widget=PersonPicker(),
        help_text="Type two letters of their name and pick, or their work e-mail.",
    )
    reason = forms.CharField(label="Reason (kept in the audit log)", max_length=500)

    def clean_email(self) -> Person:
        email = self.cleaned_data["email"].strip().lower()
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(f"No one has the e-mail {email}.")
        return person


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason (kept in the audit log)", max_length=500)


class ReassignForm(AddParticipantForm):
    email = forms.EmailField(
        label="New manager",
        widget=PersonPicker(),
        help_text="Type two letters of their name and pick, or their work e-mail.",
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class SearchForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)
