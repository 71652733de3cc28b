"""The "view as" picker: whom to preview (a role's sample person or a chosen person) and
which page. What is typed here is read only to find the person; nothing is stored but the
audit record of the preview itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.feedback.queries import resolve_person
from tandem.org.models import PersonStatus
from tandem.org.widgets import PersonPicker
from tandem.site.view_as import PAGES, ROLE_SAMPLES, sample_person

PERSON = "person"


class ViewAsForm(forms.Form):
    who = forms.ChoiceField(
        label="Whose view",
        choices=[*ROLE_SAMPLES, (PERSON, "A person I choose")],
        widget=forms.RadioSelect,
        initial="employee",
        help_text="A role shows a real person of that role, the same one each time.",
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        widget=PersonPicker(),
        help_text="Their work e-mail or name, when you choose a person.",
    )
    page = forms.ChoiceField(
        label="Page",
        choices=[
            (group, [(p.key, p.label) for p in PAGES if p.group == group])
            for group in dict.fromkeys(p.group for p in PAGES)
        ],
        initial="home",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        who = data.get("who")
        if who == PERSON:
            try:
                chosen = resolve_person(self.user, data.get("person"), field="person")
            except ValidationError as error:
                raise ValidationError(error.message_dict) from None
            if chosen.status == PersonStatus.LEFT:
                raise ValidationError(
                    {"person": f"{chosen.display_name} has left: there is nothing they see."}
                )
            data["chosen"] = chosen
        elif who:
            sample = sample_person(who)
            if sample is None:
                label = dict(ROLE_SAMPLES)[who].lower()
                raise ValidationError(
                    {"who": f"Nobody in the company is {label} yet: choose a person."}
                )
            data["chosen"] = sample
        return data
