"""The forms of the IT pages for outgoing webhooks."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.integrations.webhooks import events
from tandem.integrations.webhooks.models import DeliveryStatus


class EndpointForm(forms.Form):
    """An endpoint in another of the company's systems. Read by IT admins on these pages;
    the address is used to send the events chosen here, signed, and nothing else."""

    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What IT calls it, e.g. “HRIS sync” or “Data warehouse”.",
        error_messages={"required": "Give the endpoint a name IT recognises."},
    )
    url = forms.CharField(
        max_length=2000,
        label="Endpoint URL",
        help_text="Where Tandem sends the events: https://, on a public address.",
        error_messages={"required": "Paste the address of the receiving system."},
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    event_types = forms.MultipleChoiceField(
        choices=[(t.key, f"{t.key} — {t.label}") for t in events.EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        label="Events to send",
        error_messages={"required": "Choose at least one kind of event to send."},
    )
    private_data = forms.BooleanField(
        required=False,
        label="May receive private data",
        help_text="Also send the titles of objects and what changed (a goal's title, a "
        "person's new department). Leave off unless the receiving system is as trusted as "
        "Tandem.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Switched on")


class DeliveryFilterForm(forms.Form):
    """Which deliveries the log shows (IT admins)."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *DeliveryStatus.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}
