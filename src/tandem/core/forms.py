"""What every app's forms share."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def show_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    aliases: Mapping[str, str | None] | None = None,
) -> None:
    """Show a service's ValidationError on the form: each message beside the field it names,
    anything else (no field, or a field the form does not have) at the top of the form.
    `aliases` maps a service's field name to the form's (`"committee_ids": "committee"`)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = (aliases or {}).get(name, name)
            form.add_error(field if field is not None and field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
