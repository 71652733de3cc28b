"""Forms parse what people type; the services decide whether it is acceptable (one set of
messages for pages and the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError

from tandem.access.rules import scope
from tandem.feedback.models import TEXT_LIMIT, ReactionKind, Visibility
from tandem.org.models import CompanyValue, Person
from tandem.org.widgets import PersonPicker

MAX_ID = 2**63 - 1
TEXT_ATTRS = {"rows": 6, "maxlength": TEXT_LIMIT}


def goal_choices(user: Any, recipient: Person | None) -> list[tuple[str, str]]:
    """The recipient's goals the giver can see, to link the feedback to one (optional)."""
    choices = [("", "No goal")]
    if recipient is None:
        return choices
    goal_model = apps.get_model("goals", "Goal")
    goals = scope(user, goal_model.objects.filter(owner=recipient)).order_by("-pk")[:50]
    return choices + [(str(g.pk), g.title) for g in goals]


class ValuesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=CompanyValue.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Company values it shows (optional)",
            **kwargs,
        )

    def _check_values(self, value: Any) -> Any:
        # An id beyond 64 bits makes the `pk__in` query itself fail (OverflowError on
        # SQLite, DataError on PostgreSQL): refuse it as an unknown choice first.
        for raw in value:
            try:
                out_of_range = abs(int(str(raw).strip())) > MAX_ID
            except ValueError:
                continue  # Django answers "not a valid value" for these itself.
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(raw)[:30]},
                )
        return super()._check_values(value)  # type: ignore[misc]


class GiveFeedbackForm(forms.Form):
    recipient = forms.CharField(
        required=False,
        max_length=320,
        label="To",
        help_text="Type two letters of a colleague's name, or their work e-mail.",
        widget=PersonPicker(filters={"exclude": "me"}),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Who may read it",
    )
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        label="Your feedback",
        help_text=f"Up to {TEXT_LIMIT:,} characters. Be specific: what happened, and its effect.",
    )
    values = ValuesField()
    goal = forms.ChoiceField(required=False, label="Goal it is about (optional)")

    def __init__(
        self,
        *args: Any,
        visibilities: list[tuple[str, str]],
        goals: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        # Only the choices the company allows are offered; a switched-off one sent anyway is
        # refused by the service with a message naming the field.
        visibility.choices = visibilities
        visibility.valid_value = lambda value: True  # type: ignore[method-assign]
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)
        goal.choices = goals
        goal.valid_value = lambda value: True  # type: ignore[method-assign]


class RequestFeedbackForm(forms.Form):
    subject = forms.ChoiceField(label="Feedback about", required=False)
    asked = forms.CharField(
        required=False,
        max_length=5000,
        widget=PersonPicker(multiple=True, filters={"exclude": "me"}),
        label="Colleagues to ask",
        help_text="Type two letters of a name and pick; or work e-mails or names, one per "
        "line or separated by commas (up to 20).",
    )
    questions = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        label="Questions (optional)",
        help_text="What would you most like to hear about?",
    )
    due_date = forms.DateField(
        required=False,
        label="Due date (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A reminder goes to whoever has not answered two days before.",
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Who may read the answers",
    )

    def __init__(
        self,
        *args: Any,
        subjects: list[tuple[str, str]],
        visibilities: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ChoiceField)
        subject.choices = subjects
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        visibility.choices = visibilities
        visibility.valid_value = lambda value: True  # type: ignore[method-assign]


class AnswerForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        label="Your answer",
    )
    values = ValuesField()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        label="Why you decline",
        help_text="The person who asked sees this.",
    )


class ReactForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class UpwardForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        label="Your feedback to your manager",
    )


class ListFilterForm(forms.Form):
    tab = forms.ChoiceField(
        choices=[("received", "Received"), ("given", "Given"), ("requests", "Requests")],
        required=False,
    )
    q = forms.CharField(required=False, max_length=200, label="Search the text")
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class FeedFilterForm(forms.Form):
    value = forms.ModelChoiceField(
        queryset=CompanyValue.objects.all(),
        required=False,
        empty_label="All values",
        label="Value",
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
