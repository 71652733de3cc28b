"""Phase windows, enforced on the server: a review is written, a peer nominated or a review
shared only while its phase is open (dates inclusive, in the company's time zone)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from tandem.reviews.models import PHASE_FOR_RELATIONSHIP, Cycle, CycleStatus, Phase, PhaseKind


def phases_of(cycle: Cycle) -> dict[str, Phase]:
    """The cycle's phases by kind; uses prefetched `phases` when present."""
    return {phase.kind: phase for phase in cycle.phases.all()}


def window_state(phase: Phase | None, today: date | None = None) -> str:
    """ "open", "not_yet", "closed" or "none" (the cycle has no such phase)."""
    if phase is None:
        return "none"
    today = today or timezone.localdate()
    if today < phase.opens_on:
        return "not_yet"
    if today > phase.due_on:
        return "closed"
    return "open"


def current_phase(cycle: Cycle, today: date | None = None) -> Phase | None:
    """The latest phase that is open today, or None between or outside phases."""
    open_now = [p for p in phases_of(cycle).values() if window_state(p, today) == "open"]
    return max(open_now, key=lambda p: (p.opens_on, p.id), default=None)


def require_open(
    cycle: Cycle, kind: str, *, today: date | None = None, field: str = "phase"
) -> Phase:
    """The open phase of `kind`, or a ValidationError naming what is wrong, in plain words."""
    label = PhaseKind(kind).label.lower()
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError({field: f"The cycle “{cycle.name}” is not running."})
    phase = phases_of(cycle).get(kind)
    state = window_state(phase, today)
    if phase is None or state == "none":
        raise ValidationError({field: f"This cycle has no {label} phase."})
    if state == "not_yet":
        opens = date_format(phase.opens_on, "j F Y")
        raise ValidationError({field: f"The {label} phase opens on {opens}."})
    if state == "closed":
        due = date_format(phase.due_on, "j F Y")
        raise ValidationError(
            {field: f"The {label} phase closed on {due}; ask HR to extend it to make changes."}
        )
    assert phase is not None
    return phase


def phase_for_relationship(relationship: str) -> str:
    return PHASE_FOR_RELATIONSHIP[relationship]  # type: ignore[index]
