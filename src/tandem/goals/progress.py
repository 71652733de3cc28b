"""Progress maths, pure functions: key results, goals, roll-ups. Everything is 0..1.

progress = (current − start) / (target − start), clamped to 0..1, so a decreasing target
(churn from 5% down to 3%) works the same way as an increasing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
QUANTUM = Decimal("0.0001")


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value)).quantize(QUANTUM, rounding=ROUND_HALF_UP)


def linear(*, start: Decimal, target: Decimal, current: Decimal) -> Decimal:
    """Share of the way from start to target. A target equal to the start is refused
    upstream (validation names the field); here it counts as done once reached."""
    if target == start:
        return ONE if current == target else ZERO
    return clamp((current - start) / (target - start))


def milestones(done: int, total: int) -> Decimal:
    return clamp(Decimal(done) / Decimal(total)) if total else ZERO


def weighted_mean(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Mean of (progress, weight) pairs; None when there is nothing with weight to average."""
    total_weight = ZERO
    total = ZERO
    for progress, weight in parts:
        if weight < 0:
            raise ValueError("weight: a weight cannot be negative")
        total += progress * weight
        total_weight += weight
    if total_weight == 0:
        return None
    return clamp(total / total_weight)


def goal_progress(
    key_results: Sequence[tuple[Decimal, Decimal]], manual: Decimal | None
) -> Decimal:
    """A goal's progress: the weighted mean of its key results, or the manual value when it
    has none (or all weights are zero), or 0."""
    mean = weighted_mean(key_results) if key_results else None
    if mean is not None:
        return mean
    return clamp(manual) if manual is not None else ZERO
