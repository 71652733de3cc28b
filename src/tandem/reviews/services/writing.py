"""Writing a review: drafts saved as you type, and submitting.

The no-lost-update guarantee: every save names the `version` it started from, and the
answers are written by ONE conditional UPDATE (`WHERE version = <that version>`) that also
bumps the version. Two tabs or two people saving from the same version: the first wins,
the second updates no row and gets `DraftConflict`, with nothing changed. On PostgreSQL
the second UPDATE waits for the first's row lock, then re-checks the condition and finds
the new version; on SQLite the IMMEDIATE transaction serialises them the same way.

Drafts are not audited per keystroke: the first save records "review.started", the
submit "review.submitted". For a review whose writer is anonymous to HR (upward reviews,
and peer reviews in a cycle that hides peer names from HR) both are only counted in the
day's anonymous tally (`audit.services.record_anonymous`): no actor, no review, no time.
Once the anonymous answers about the person were released (`services.anonymous`), their
peer and upward reviews no longer change.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record, record_anonymous
from tandem.reviews import answers as answer_rules
from tandem.reviews import evidence, framework, phases, states, tally
from tandem.reviews.models import Relationship, Review, ReviewState, SubmittedRating
from tandem.reviews.services import stored_ratings

# The browser reports seconds with typing or focus since the last save; an idle tab left
# open overnight must not count, so one save adds at most this much.
ACTIVE_SECONDS_PER_SAVE = 300
CONFLICT_MESSAGE = (
    "Someone else saved this review (perhaps you, in another tab) since you opened it. "
    "Your text is kept below; reload to see theirs, then merge."
)
RATING_BATCH = 1000


class DraftConflict(ValidationError):
    """The review was saved by someone else since `version`; nothing was changed."""

    def __init__(self) -> None:
        super().__init__({"version": CONFLICT_MESSAGE})


def _version(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValidationError({"version": "Reload the page: the form lost track of its version."})
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(
            {"version": "Reload the page: the form lost track of its version."}
        ) from None
    if value < 0 or value > 2**31:
        raise ValidationError({"version": "Reload the page: the form lost track of its version."})
    return value


def _active_seconds(raw: Any) -> int:
    try:
        return max(0, min(int(raw or 0), ACTIVE_SECONDS_PER_SAVE))
    except (TypeError, ValueError, OverflowError):
        return 0


def _check_writable(review: Review, *, event: str, state: str) -> str:
    """The state after `event`, once the cycle, the person, the anonymous release and the
    writing phase allow it (`phases.writing_refusal`, the check the review page makes too)."""
    stopped = phases.not_running(review.cycle, "answers can no longer change")
    if stopped:
        raise ValidationError({"answers": stopped})
    target = states.next_state(state, event)
    why = phases.writing_refusal(review)
    if why:
        raise ValidationError({"answers": why})
    return target


def check_writable(review: Review, *, event: str) -> None:
    """Refuse, as `save_draft` or `submit` would, before anything is asked of the writer
    (the submit confirmation is not shown for a review that cannot be submitted)."""
    _check_writable(review, event=event, state=_fresh(review)["state"])


def _fresh(review: Review) -> dict[str, Any]:
    row = (
        Review.objects.filter(pk=review.pk)
        .values("answers", "version", "state", "started_at")
        .first()
    )
    if row is None:
        raise ValidationError({"answers": "This review no longer exists."})
    return dict(row)


def _prepare(
    review: Review, *, answers: Any, version: Any, by: Any, event: str
) -> tuple[dict[str, Any], int, str, dict[str, Any], list[str]]:
    """Checks shared by save and submit; returns the merged answers, the version, the state
    after the event, the row as stored and the goal keys."""
    require(by, "review.write", review)
    version = _version(version)
    row = _fresh(review)
    target = _check_writable(review, event=event, state=row["state"])
    if row["version"] != version:
        raise DraftConflict()
    content = framework.content_of(review)
    goal_keys = evidence.goal_keys(by, review)
    cleaned = answer_rules.clean(content, answers, goal_keys=goal_keys)
    merged = answer_rules.merge(row["answers"] or {}, cleaned)
    return merged, version, target, row, goal_keys


def _written(
    row: dict[str, Any], merged: dict[str, Any], target: str, active_seconds: Any
) -> dict[str, Any]:
    """The fields every write of answers sets: the answers, the state, when, the time spent
    writing, and when writing started if this is the first write (`row` as stored)."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "answers": merged,
        "state": target,
        "saved_at": now,
        "active_seconds": F("active_seconds") + _active_seconds(active_seconds),
    }
    if row["started_at"] is None:
        fields["started_at"] = now
    return fields


def _apply(review: Review, fields: dict[str, Any], version: int) -> None:
    """The one conditional UPDATE; DraftConflict when the version moved on."""
    updated = Review.objects.filter(pk=review.pk, version=version).update(
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise DraftConflict()
    review.refresh_from_db(
        fields=[
            "answers",
            "version",
            "state",
            "active_seconds",
            "started_at",
            "saved_at",
            "submitted_at",
        ]
    )


@transaction.atomic
def save_draft(
    review: Review, *, answers: Any, version: Any, by: Any, active_seconds: Any = 0
) -> Review:
    """Save the reviewer's draft (the answers given are merged, question by question)."""
    merged, version, target, row, _ = _prepare(
        review, answers=answers, version=version, by=by, event="save"
    )
    _apply(review, _written(row, merged, target, active_seconds), version)
    if target != row["state"]:
        tally.refresh(cycle_id=review.cycle_id, participant_ids=[review.participant_id])
    if row["started_at"] is None:
        _audit(review, by=by, kind="review.started", changes=None)
    return review


def writer_hidden_from_hr(review: Review) -> bool:
    """Whether HR may not know who writes `review`, so its audit record names nobody."""
    if review.relationship == Relationship.UPWARD:
        return True
    return review.relationship == Relationship.PEER and review.cycle.peer_names_hidden_from_hr


def _audit(review: Review, *, by: Any, kind: str, changes: dict[str, Any] | None) -> None:
    if writer_hidden_from_hr(review):
        what = Relationship(review.relationship).label.lower()
        verb = "started" if kind == "review.started" else "submitted"
        record_anonymous(kind=kind, object_type="reviews.review", object_label=f"{what} {verb}")
        return
    record(actor=by, kind=kind, obj=review, subject=review.reviewee, changes=changes)


@transaction.atomic
def submit(
    review: Review, *, answers: Any = None, version: Any, by: Any, active_seconds: Any = 0
) -> Review:
    """Save the last answers and submit. Required questions left empty are named and
    nothing is saved: the draft stays as it was."""
    merged, version, target, row, goal_keys = _prepare(
        review, answers=answers, version=version, by=by, event="submit"
    )
    content = framework.content_of(review)
    missing = answer_rules.missing_required(content, merged, goal_keys=goal_keys)
    if missing:
        raise ValidationError(missing)
    fields = _written(row, merged, target, active_seconds)
    _apply(review, {**fields, "submitted_at": fields["saved_at"]}, version)
    assert review.state == ReviewState.SUBMITTED
    tally.refresh(cycle_id=review.cycle_id, participant_ids=[review.participant_id])
    write_ratings(review)
    stored_ratings.ratings_changed(review.cycle_id, [review.participant_id])
    from tandem.reviews.scores import refresh_participant

    refresh_participant(review.participant)
    _audit(review, by=by, kind="review.submitted", changes={"state": [row["state"], review.state]})
    return review


def write_ratings(review: Review) -> int:
    """Copy the review's ratings into SubmittedRating rows (replacing any), in bulk."""
    SubmittedRating.objects.filter(review=review).delete()
    rows = [
        SubmittedRating(
            review=review,
            cycle_id=review.cycle_id,
            participant_id=review.participant_id,
            relationship=review.relationship,
            question_key=rating.question_key,
            question_kind=rating.question_kind,
            item_key=rating.item_key,
            value=rating.value,
            points=rating.points,
            normalised=rating.normalised,
        )
        for rating in answer_rules.ratings(framework.content_of(review), review.answers)
    ]
    SubmittedRating.objects.bulk_create(rows, batch_size=RATING_BATCH)
    return len(rows)
