"""The audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.org.widgets import PersonPicker


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        required=False,
        max_length=200,
        label="About person",
        help_text="Name, e-mail or employee id of the person the record is about.",
        widget=PersonPicker(filters={"left": "on"}),
    )
    actor = forms.CharField(
        required=False,
        max_length=200,
        label="Done by",
        help_text="Name, e-mail or employee id; or “system” / “command line”.",
        widget=PersonPicker(filters={"left": "on"}),
    )
    date_from = forms.DateField(required=False, label="From (day)")
    date_to = forms.DateField(required=False, label="To (day, included)")
    kind = forms.ChoiceField(required=False, label="What happened")

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Anything"), *((k, k) for k in kinds)]
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "“To” is before “From”; pick a later day.")
        return data
