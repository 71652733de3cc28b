"""What calibration writes onto a cycle's participants (the calibration app calls these).

They run inside the caller's transaction, after the caller's own permission check (the
calibration services require their own rules and audit each change); here nothing is
checked again. Each is one UPDATE, whatever the number of participants, plus the overall
score of the participants whose rating of record changed (`reviews.scores`: a locked
`final_rating` replaces the manager's overall rating in the score).

The rating of record shown everywhere a rating is shown (the participant page, the API's
`final_rating`, the results export) is `final_rating` once locked, else the manager's.
"""

from __future__ import annotations

from collections.abc import Iterable

from tandem.reviews.models import CalibrationState, Cycle, Participant
from tandem.reviews.scores import refresh_participants
from tandem.reviews.services.stored_ratings import bump_version

REASON_MAX = 300


def mark_in_calibration(participant_ids: Iterable[int]) -> int:
    """The participants are discussed in an open session: their manager review cannot be
    shared until it locks. Returns how many rows changed."""
    ids = list(participant_ids)
    # Someone calibrated before (their session was undone) goes back to the manager's
    # rating in their score while they are discussed again.
    rescored = list(
        Participant.objects.filter(pk__in=ids, final_rating__isnull=False).values_list(
            "pk", flat=True
        )
    )
    changed = Participant.objects.filter(pk__in=ids).update(
        calibration_state=CalibrationState.OPEN,
        final_rating=None,
        final_rating_points=None,
        calibrated_from=None,
        calibration_reason="",
    )
    rescore(rescored)
    return changed


def release_from_calibration(participant_ids: Iterable[int]) -> int:
    """The participants left an open session without a result: back to not calibrated."""
    return Participant.objects.filter(
        pk__in=list(participant_ids), calibration_state=CalibrationState.OPEN
    ).update(calibration_state=CalibrationState.NONE)


def record_final(
    participant_id: int,
    *,
    rating: int | None,
    points: int,
    calibrated_from: int | None,
    reason: str = "",
    rescore_now: bool = True,
) -> int:
    """The session locked: `rating` (out of `points`) is the participant's rating of record.
    `calibrated_from` is the manager's rating when calibration changed it, else None;
    `reason` the one sentence the person may read (shortened to 300 characters). A caller
    recording a whole session passes `rescore_now=False` and calls `rescore` once with
    every id: a few queries for the session instead of a few per person."""
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        reason = reason[: REASON_MAX - 1].rstrip() + "…"
    changed = Participant.objects.filter(pk=participant_id).update(
        calibration_state=CalibrationState.LOCKED,
        final_rating=rating,
        final_rating_points=points,
        calibrated_from=calibrated_from if calibrated_from != rating else None,
        calibration_reason=reason if calibrated_from not in (None, rating) else "",
    )
    if rescore_now:
        rescore([participant_id])
    return changed


def rescore(participant_ids: Iterable[int]) -> int:
    """Recompute the overall scores of these participants (of one or more cycles) from their
    rating of record, and bump each cycle's ratings version (their rating of record
    changed: every caller changed `final_rating`). Returns how many scores changed."""
    by_cycle: dict[int, list[int]] = {}
    for pk, cycle_id in Participant.objects.filter(pk__in=list(participant_ids)).values_list(
        "pk", "cycle_id"
    ):
        by_cycle.setdefault(cycle_id, []).append(pk)
    cycles = Cycle.objects.in_bulk(list(by_cycle))
    if by_cycle:
        bump_version(*by_cycle)
    return sum(refresh_participants(cycles[cycle_id], ids) for cycle_id, ids in by_cycle.items())
