"""The forms of the IT pages for chat webhooks."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.integrations import chat
from tandem.integrations.models import DeliveryStatus, Provider
from tandem.org.models import Department


class ChatWebhookForm(forms.Form):
    """An incoming webhook IT created in Slack or Teams. Read by IT admins on this page (the
    address only by its last four characters); the address is used to post notifications of
    the people the webhook serves, and nothing else. Stored encrypted."""

    provider = forms.ChoiceField(
        choices=Provider.choices,
        error_messages={"required": "Choose Slack or Microsoft Teams."},
    )
    name = forms.CharField(
        max_length=100,
        label="Channel name",
        help_text="What people see on their settings page, e.g. “#eng-managers”.",
        error_messages={"required": "Give the webhook a name people recognise."},
    )
    url = forms.CharField(
        max_length=2000,
        required=False,
        label="Webhook URL",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Slack: https://hooks.slack.com/services/…; Teams: the workflow's URL. "
        "Stored encrypted and never shown again in full.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="Everyone",
        label="Serves",
        help_text="Everyone, or one department and every department under it.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Switched on")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["url"].help_text = "Leave empty to keep the address stored now."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        url = (data.get("url") or "").strip()
        if not url and not self.editing:
            self.add_error("url", "Paste the webhook's URL (the provider shows it once created).")
        elif (
            url
            and data.get("provider")
            and (problem := chat.address_problem(data["provider"], url))
        ):
            self.add_error("url", problem)
        return data


class DeliveryFilterForm(forms.Form):
    """Which deliveries the log shows (IT admins)."""

    webhook = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *DeliveryStatus.choices], required=False
    )

    def __init__(self, *args: Any, webhooks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["webhook"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Every webhook"), *webhooks]
