"""Calibration's entries on a review's history (read by HR): each adjustment of the
person's rating or potential, who made it, why, and the lock that made it final."""

from __future__ import annotations

from datetime import datetime

from tandem.calibration.models import AdjustedField, Adjustment, Entry
from tandem.reviews.history import register_participant_history


def _who(person: object | None) -> str:
    return str(person) if person is not None else "Someone no longer at the company"


def adjustments_of(participant_id: int) -> list[tuple[datetime, str]]:
    """`(when, sentence)` for every adjustment of the participant, and the session's lock."""
    found: list[tuple[datetime, str]] = []
    adjustments = (
        Adjustment.objects.filter(entry__participant_id=participant_id)
        .select_related("made_by", "entry__session")
        .order_by("made_at", "id")
    )
    for adjustment in adjustments:
        what = "rating" if adjustment.field == AdjustedField.RATING else "potential"
        old = "none" if adjustment.old_value is None else str(adjustment.old_value)
        found.append(
            (
                adjustment.made_at,
                f"{_who(adjustment.made_by)} changed the {what} from {old} to "
                f"{adjustment.new_value} in calibration session “{adjustment.entry.session.name}” "
                f"({adjustment.get_category_display().lower()}): {adjustment.reason}",
            )
        )
    entry = (
        Entry.objects.filter(participant_id=participant_id, session__locked_at__isnull=False)
        .select_related("session", "session__locked_by")
        .first()
    )
    if entry is not None and entry.session.locked_at is not None:
        found.append(
            (
                entry.session.locked_at,
                f"{_who(entry.session.locked_by)} locked calibration session "
                f"“{entry.session.name}”: the rating of record is {entry.rating}.",
            )
        )
    return found


register_participant_history(adjustments_of)
