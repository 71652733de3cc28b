"""Errors named after the field they are about, the same way in every app.

A service checks what people typed with `clean_text` and raises a `ValidationError` whose
keys are field names; a page shows it with `show_errors`, each message beside its field
and the rest at the top of the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def clean_text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """Text with surrounding blanks trimmed, or a message naming the field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: f"{label} must be text."})
    text = value.strip()
    if "\x00" in text:
        raise ValidationError({field: f"{label} contains a character that cannot be stored."})
    if required and not text:
        raise ValidationError({field: f"{label} cannot be empty."})
    if len(text) > limit:
        raise ValidationError(
            {field: f"{label} is {len(text):,} characters long; the limit is {limit:,}."}
        )
    return text


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message beside its field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error.messages)
