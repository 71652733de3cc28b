from __future__ import annotations

from typing import Any

from django import forms

from tandem.notifications.kinds import KINDS, Delivery


class DeliveryPreferencesForm(forms.Form):
    """One choice per kind of notification: how (or whether) the person hears about it."""

    def __init__(
        self,
        data: Any = None,
        *,
        current: dict[str, str],
        chat: bool = False,
        manager: bool = True,
    ) -> None:
        super().__init__(data, initial=current)
        # "In chat" only where a chat channel carries the person's notifications (or where
        # they chose it before the channel went away, so the page still shows their choice).
        offered = [
            (value, label)
            for value, label in Delivery.choices
            if value != Delivery.CHAT or chat or Delivery.CHAT in current.values()
        ]
        for kind, spec in KINDS.items():
            if spec.managers_only and not manager:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=spec.label,
                help_text=spec.about,
                choices=offered,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"{spec.label}: choose how you want to hear about it.",
                    "invalid_choice": f"{spec.label}: choose one of the options listed.",
                },
            )
