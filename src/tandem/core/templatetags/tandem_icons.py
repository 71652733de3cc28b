"""`{% icon "name" %}`: a heroicons icon, decorative (aria-hidden), drawn once per name.

heroicons builds each SVG on every call (~30 µs); a praise feed draws a hundred reaction
icons, so the markup is kept per (name, style). Label the icon's meaning in text beside it,
or on the control that holds it."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.safestring import SafeString
from heroicons.templatetags import heroicons

register = template.Library()

_STYLES = {
    "outline": heroicons.heroicon_outline,
    "solid": heroicons.heroicon_solid,
    "mini": heroicons.heroicon_mini,
}


@lru_cache(maxsize=512)
def _drawn(name: str, style: str) -> SafeString:
    return SafeString(_STYLES[style](name, aria_hidden="true"))


@register.simple_tag
def icon(name: str, style: str = "outline") -> SafeString:
    return _drawn(name, style)
