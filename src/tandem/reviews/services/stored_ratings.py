"""What the reviews services keep in step with a cycle's ratings, inside their transaction.

- `Participant.manager_rating`: the manager's overall rating (the overall question of the
  latest submitted manager review), so whole-cycle counts read a column instead of
  deriving it per participant from the submitted ratings.
- `Cycle.ratings_version`: a counter bumped whenever any rating of the cycle, or the rating
  of record, changes; caches derived from the ratings are keyed on it.

Every write path that changes ratings calls `ratings_changed` (writing.submit,
sharing.reopen, the calibration marking and locking, the ratings import, a participant
removed or added back). Nothing here checks permissions: the callers have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F

from tandem.reviews import versions
from tandem.reviews.models import (
    DONE_STATES,
    Cycle,
    CycleForm,
    Participant,
    Relationship,
    SubmittedRating,
)

# Ids per UPDATE: below SQLite's bound-parameter limit, and short statements for PostgreSQL.
CHUNK = 900


def bump_version(*cycle_ids: int) -> None:
    """One more change of these cycles' ratings, in one UPDATE (an atomic F() update:
    concurrent writers both count)."""
    Cycle.objects.filter(pk__in=cycle_ids).update(ratings_version=F("ratings_version") + 1)


def _overall_key(cycle_id: int) -> str | None:
    form = (
        CycleForm.objects.filter(cycle_id=cycle_id, relationship=Relationship.MANAGER)
        .select_related("version")
        .first()
    )
    if form is None or form.version is None:
        return None
    for question in versions.questions(form.version.content):
        if question.get("is_overall") and question.get("scale"):
            return str(question["key"])
    return None


def store_manager_ratings(cycle_id: int, participant_ids: Iterable[int] | None = None) -> int:
    """Set `manager_rating` of these participants (the whole cycle when None) from their
    submitted manager reviews. Returns how many rows changed."""
    ids = None if participant_ids is None else list(participant_ids)
    if ids is not None and not ids:
        return 0
    key = _overall_key(cycle_id)
    latest: dict[int, int] = {}
    if key is not None:
        rows = SubmittedRating.objects.filter(
            cycle_id=cycle_id,
            relationship=Relationship.MANAGER,
            question_key=key,
            item_key="",
            review__state__in=DONE_STATES,
        )
        if ids is not None:
            rows = rows.filter(participant_id__in=ids)
        # In submission order: the latest submitted manager review wins (as a second
        # manager review after a change of manager would).
        ordered = rows.order_by("review__submitted_at", "id").values_list("participant_id", "value")
        latest = dict(ordered.iterator(chunk_size=5000))
    participants = Participant.objects.filter(cycle_id=cycle_id)
    if ids is not None:
        participants = participants.filter(pk__in=ids)
    changed: dict[int | None, list[int]] = defaultdict(list)
    for pk, stored in participants.values_list("pk", "manager_rating").iterator(chunk_size=5000):
        wanted = latest.get(pk)
        if stored != wanted:
            changed[wanted].append(pk)
    # One UPDATE per rating value (a handful), whatever the number of participants.
    for value, pks in changed.items():
        for start in range(0, len(pks), CHUNK):
            Participant.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                manager_rating=value
            )
    return sum(len(pks) for pks in changed.values())


def ratings_changed(cycle_id: int, participant_ids: Iterable[int] | None = None) -> None:
    """A rating of these participants (the whole cycle when None) may have changed: their
    stored manager rating is brought up to date and the cycle's version bumped."""
    store_manager_ratings(cycle_id, participant_ids)
    bump_version(cycle_id)


def cycles_changed(cycle_ids: Iterable[int]) -> None:
    """`ratings_changed` for whole cycles (an import)."""
    for cycle_id in sorted(set(cycle_ids)):
        ratings_changed(cycle_id)
