"""`{% person_picker "email" id="reassign-email" suffix=p.pk required=True %}`: the people
picker (org/widgets.py) for a hand-written form, where there is no Django form field to
declare it. The element's id is `id`, or `id-suffix` when one form repeats per row."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tandem.org.widgets import PersonPicker

register = template.Library()


@register.simple_tag
def person_picker(
    name: str,
    *,
    id: str,
    suffix: object = "",
    required: bool = False,
    **filters: str,
) -> SafeString:
    attrs: dict[str, Any] = {"id": f"{id}-{suffix}" if suffix != "" else id}
    if required:
        attrs["required"] = True
    return PersonPicker(filters=filters).render(name, None, attrs=attrs)
