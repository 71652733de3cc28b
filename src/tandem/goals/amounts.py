"""How a key result's numbers read: plain digits (never "1E+6"), thousands grouped, and
the key result's unit beside them ("5 ms", "29%", "2,400,000 USD", "$300")."""

from __future__ import annotations

from decimal import Decimal

PREFIXED = {"$", "€", "£", "¥"}


def number(value: Decimal) -> str:
    """A stored decimal without trailing zeros or exponent: 1.5000 → "1.5", 2400000 →
    "2,400,000"."""
    text = format(value.normalize(), ",f")
    return "0" if text in {"-0", ""} else text


def amount(value: Decimal, unit: str = "") -> str:
    """A value in its unit: "29%" (no space before a percent sign), "$300" for a currency
    symbol, "5 ms" otherwise, the bare number without a unit."""
    text = number(value)
    unit = unit.strip()
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    if unit in PREFIXED:
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text} {unit}"


def unit_of(kind: str, unit: str) -> str:
    """The unit a key result's values read in: its own, or "%" for a percentage without
    one."""
    return unit.strip() or ("%" if kind == "percentage" else "")
