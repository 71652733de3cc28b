"""Input checks every app's services share: a bad value raises ValidationError keyed by the
field it is about, with a message that names it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def clean_text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """Text as written (only surrounding blank space trimmed), or a message naming the field."""
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise ValidationError({field: f"{label} must be text."})
    if "\x00" in text:
        raise ValidationError({field: f"{label} contains a character that cannot be stored."})
    if required and not text:
        raise ValidationError({field: f"{label} cannot be empty."})
    if len(text) > limit:
        raise ValidationError(
            {field: f"{label} is {len(text):,} characters long; the limit is {limit:,}."}
        )
    return text
