"""Input checks every app shares: a bad value raises ValidationError keyed by the field it is
about, with a message that names it.

One rule for text, wherever it comes from (a form, a JSON body, a query string, an HRIS
import): it may not hold NUL or an unpaired UTF-16 surrogate. PostgreSQL refuses NUL in text
columns, and a lone surrogate (JSON can spell one, `"\\udfff"`) is not Unicode: it cannot be
encoded as UTF-8, so storing or showing it fails. `unstorable` finds either; each layer turns
it into its own 4xx naming the field: the API (`core.api`: bodies and query strings), page
query strings (`core.middleware.QueryTextMiddleware`), HRIS imports (the importer's cell
check) and services (`clean_text`). Page forms need nothing more: a form-encoded body cannot
carry a surrogate (Django decodes bad UTF-8 as U+FFFD), and every Django CharField refuses
NUL beside the field.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

NOT_TEXT = "contains a character that is not text (NUL or an unpaired surrogate)"


def unstorable(text: str) -> bool:
    """True when the text holds NUL or an unpaired surrogate (see the module docstring)."""
    return _UNSTORABLE.search(text) is not None


def first_unstorable(value: Any) -> str | None:
    """The first text anywhere inside a JSON-like value (strings, list items, dict keys and
    values) that `unstorable` refuses, or None when all of it is text."""
    if isinstance(value, str):
        return value if unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = first_unstorable(key) or first_unstorable(item)
            if found is not None:
                return found
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            found = first_unstorable(item)
            if found is not None:
                return found
    return None


def clean_text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """Text as written (only surrounding blank space trimmed), or a message naming the field."""
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise ValidationError({field: f"{label} must be text."})
    if unstorable(text):
        raise ValidationError({field: f"{label} {NOT_TEXT}."})
    if required and not text:
        raise ValidationError({field: f"{label} cannot be empty."})
    if len(text) > limit:
        raise ValidationError(
            {field: f"{label} is {len(text):,} characters long; the limit is {limit:,}."}
        )
    return text
