"""The company's goal scoring scale: scores are stored 0..1 and shown on the scale the
program sets (0.0–1.0, 0–100 %, or 1–5)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from tandem.program.models import ScoringScale

RANGES = {
    ScoringScale.FRACTION: (Decimal(0), Decimal(1)),
    ScoringScale.PERCENT: (Decimal(0), Decimal(100)),
    ScoringScale.FIVE_POINT: (Decimal(1), Decimal(5)),
}
HINTS = {
    ScoringScale.FRACTION: "a number from 0.0 (nothing achieved) to 1.0 (fully achieved)",
    ScoringScale.PERCENT: "a percentage from 0 to 100",
    ScoringScale.FIVE_POINT: "a number from 1 (far below) to 5 (far beyond)",
}


def score_range(scale: str) -> tuple[Decimal, Decimal]:
    return RANGES[ScoringScale(scale)]


def hint(scale: str) -> str:
    return HINTS[ScoringScale(scale)]


def to_stored(value: Any, scale: str) -> Decimal:
    """A score typed on the company's scale, as 0..1. Names the field `score` when it is
    not a number or out of range."""
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": f"Score: enter {hint(scale)}."}) from None
    if not number.is_finite():
        raise ValidationError({"score": f"Score: enter {hint(scale)}."})
    low, high = score_range(scale)
    if number < low or number > high:
        raise ValidationError({"score": f"Score: enter {hint(scale)}; {number} is outside."})
    stored = (number - low) / (high - low)
    return stored.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def display(stored: Decimal | None, scale: str) -> str:
    if stored is None:
        return ""
    low, high = score_range(scale)
    value = low + stored * (high - low)
    if scale == ScoringScale.PERCENT:
        return f"{value.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"
    if scale == ScoringScale.FIVE_POINT:
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} of 5"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
