"""Sharing, acknowledging and reopening reviews.

The manager shares the (submitted) manager review with one action while the sharing phase
is open, or HR releases every submitted manager review of a cycle at once, by hand or on
the cycle's `release_on` date. The person reviewed then reads it and acknowledges, with an
optional comment. Reopening needs HR and a reason; the version before is kept as a
`ReviewRevision` and the review is written again in its phase window (HR extends the
phase when it has closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import SYSTEM, require
from tandem.audit.services import record
from tandem.core.validation import NOT_TEXT, unstorable
from tandem.notifications.services import Message, notify, notify_many
from tandem.reviews import phases, states, tally
from tandem.reviews.models import (
    CalibrationState,
    Cycle,
    CycleStatus,
    Participant,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
    SubmittedRating,
)
from tandem.reviews.services import stored_ratings

ACK_COMMENT_MAX = 5_000
REASON_MAX = 500
NOTIFY_BATCH = 1000


def participant_url(participant_id: int) -> str:
    return reverse("reviews:participant", args=[participant_id])


def _manager_reviews(participant: Participant) -> list[Review]:
    return list(
        Review.objects.select_for_update()
        .filter(participant=participant, relationship=Relationship.MANAGER)
        .order_by("pk")
    )


@transaction.atomic
def share(participant: Participant, *, by: Any) -> Participant:
    """The manager shares the submitted manager review with the person reviewed."""
    require(by, "participant.share", participant)
    phases.require_action(participant.cycle, "review.share", field="share")
    if participant.removed_at is not None:
        raise ValidationError({"share": "This person was removed from the cycle."})
    # Read under lock: a session may be opened on the person at the same moment.
    participant.calibration_state = (
        Participant.objects.select_for_update()
        .values_list("calibration_state", flat=True)
        .get(pk=participant.pk)
    )
    held = phases.calibration_refusal(participant)
    if held:
        raise ValidationError({"share": held})
    reviews = _manager_reviews(participant)
    submitted = [r for r in reviews if r.state == ReviewState.SUBMITTED]
    if not submitted:
        if any(r.state in (ReviewState.SHARED, ReviewState.ACKNOWLEDGED) for r in reviews):
            raise ValidationError({"share": "This review is already shared."})
        raise ValidationError(
            {"share": "The manager review must be submitted before it can be shared."}
        )
    now = timezone.now()
    for review in submitted:
        review.state = states.next_state(review.state, "share")
        review.shared_at = now
        review.save(update_fields=["state", "shared_at"])
    participant.shared_at = now
    participant.shared_by = by if getattr(by, "pk", None) else None
    participant.save(update_fields=["shared_at", "shared_by"])
    record(
        actor=by,
        kind="review.shared",
        obj=participant,
        subject=participant.person,
        changes={"reviews": [r.pk for r in submitted]},
    )
    notify(
        person=participant.person,
        kind="reviews.shared",
        title=f"Your review in “{participant.cycle.name}” is ready to read",
        body="Read it, then acknowledge it; you may add a comment.",
        url=participant_url(participant.pk),
        dedupe_key=f"reviews.shared:{participant.pk}:{now.isoformat()}",
    )
    return participant


@dataclass(frozen=True)
class Released:
    """What releasing a cycle did: `shared` manager reviews shared now, `held_back` the
    submitted ones left unshared because an open calibration session discusses the person
    (their manager shares them once it locks)."""

    shared: int
    held_back: int


@transaction.atomic
def release_all(cycle: Cycle, *, by: Any) -> Released:
    """Share every submitted manager review of the cycle at once (HR), except those of people
    in an open calibration session. Set-based: a few UPDATEs and one bulk notification,
    whatever the size of the company."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    phases.require_action(cycle, "review.release", field="release")
    now = timezone.now()
    submitted = Review.objects.filter(
        cycle=cycle,
        relationship=Relationship.MANAGER,
        state=ReviewState.SUBMITTED,
        participant__removed_at__isnull=True,
    )
    in_session = Q(participant__calibration_state=CalibrationState.OPEN)
    held_back = submitted.filter(in_session).count()
    due = submitted.exclude(in_session)
    people = list(
        Participant.objects.filter(pk__in=due.values("participant_id")).values_list(
            "pk", "person_id"
        )
    )
    shared_by = by if getattr(by, "pk", None) else None
    # Participants first: once the reviews are updated, `due` matches nothing.
    Participant.objects.filter(pk__in=due.values("participant_id")).update(
        shared_at=now, shared_by=shared_by
    )
    count = due.update(state=ReviewState.SHARED, shared_at=now)
    cycle.released_at = now
    cycle.save(update_fields=["released_at"])
    record(
        actor=by,
        kind="cycle.released",
        obj=cycle,
        changes={"shared": count, "held_back": held_back},
        note=f"{count} manager reviews shared at once"
        + (f"; {held_back} held back in open calibration sessions." if held_back else "."),
    )
    stamp = now.isoformat()
    messages = [
        Message(
            person_id=person_id,
            title=f"Your review in “{cycle.name}” is ready to read",
            body="Read it, then acknowledge it; you may add a comment.",
            url=participant_url(pk),
            dedupe_key=f"reviews.shared:{pk}:{stamp}",
        )
        for pk, person_id in people
    ]
    for start in range(0, len(messages), NOTIFY_BATCH):
        notify_many(kind="reviews.shared", messages=messages[start : start + NOTIFY_BATCH])
    return Released(shared=count, held_back=held_back)


def release_due(today: date | None = None) -> int:
    """Release the cycles whose `release_on` date has come; safe to run any number of times
    (a released cycle has `released_at` set and is skipped). A cycle whose dated calibration
    phase has not closed waits: it is released on the first run after it closes."""
    today = today or timezone.localdate()
    total = 0
    due = Cycle.objects.filter(
        status=CycleStatus.ACTIVE, release_on__lte=today, released_at__isnull=True
    ).order_by("pk")
    for cycle in due.prefetch_related("phases"):
        if phases.refusal(cycle, "review.release", today=today):
            continue
        total += release_all(cycle, by=SYSTEM).shared
    return total


@transaction.atomic
def acknowledge(participant: Participant, *, comment: Any = "", by: Any) -> Participant:
    """The person reviewed says they have read their review, with an optional comment."""
    require(by, "participant.acknowledge", participant)
    phases.require_action(participant.cycle, "review.acknowledge", field="state")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise ValidationError({"comment": "The comment must be text."})
    if unstorable(comment):
        raise ValidationError({"comment": f"The comment {NOT_TEXT}."})
    comment = comment.strip()
    if len(comment) > ACK_COMMENT_MAX:
        raise ValidationError(
            {
                "comment": f"Keep the comment under {ACK_COMMENT_MAX:,} characters "
                f"(it has {len(comment):,})."
            }
        )
    reviews = [r for r in _manager_reviews(participant) if r.state == ReviewState.SHARED]
    if not reviews:
        raise ValidationError({"state": states.WHY_NOT["acknowledge"]})
    now = timezone.now()
    for review in reviews:
        review.state = states.next_state(review.state, "acknowledge")
        review.acknowledged_at = now
        review.save(update_fields=["state", "acknowledged_at"])
    participant.acknowledged_at = now
    participant.acknowledgement_comment = comment
    participant.save(update_fields=["acknowledged_at", "acknowledgement_comment"])
    record(
        actor=by,
        kind="review.acknowledged",
        obj=participant,
        subject=participant.person,
        changes={"comment": bool(comment)},
    )
    for reviewer in {r.reviewer for r in reviews}:
        notify(
            person=reviewer,
            kind="reviews.shared",
            title=f"{participant.person.display_name} acknowledged their review",
            body=f"{participant.person.display_name} acknowledged the review"
            + (" and added a comment" if comment else "")
            + ". Open it in Tandem to see it.",
            url=participant_url(participant.pk),
            dedupe_key=f"reviews.acknowledged:{participant.pk}:{reviewer.pk}:{now.isoformat()}",
        )
    return participant


@transaction.atomic
def reopen(review: Review, *, reason: Any, by: Any) -> Review:
    """HR reopens a submitted review: the version before is kept, ratings are withdrawn,
    and the reviewer writes again (within the phase window, which HR may extend)."""
    require(by, "review.reopen", review)
    phases.require_action(review.cycle, "review.reopen", field="state")
    reason = reason.strip() if isinstance(reason, str) else ""
    if unstorable(reason):
        raise ValidationError({"reason": f"The reason {NOT_TEXT}."})
    if not reason:
        raise ValidationError({"reason": "Say why the review is reopened; the reviewer reads it."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    locked = Review.objects.select_for_update().filter(pk=review.pk).first()
    if locked is None:
        raise ValidationError({"state": "This review no longer exists."})
    target = states.next_state(locked.state, "reopen")
    ReviewRevision.objects.create(
        review=locked,
        answers=locked.answers,
        state=locked.state,
        submitted_at=locked.submitted_at,
        reopened_by=by if getattr(by, "pk", None) else None,
        reason=reason,
    )
    before = locked.state
    now = timezone.now()
    locked.state = target
    locked.reopened_at = now
    locked.shared_at = None
    locked.acknowledged_at = None
    locked.submitted_at = None
    # Any tab still open on the old text must not silently write over the reopened review.
    locked.version = locked.version + 1
    locked.save(
        update_fields=[
            "state",
            "reopened_at",
            "shared_at",
            "acknowledged_at",
            "submitted_at",
            "version",
        ]
    )
    SubmittedRating.objects.filter(review=locked).delete()
    stored_ratings.ratings_changed(locked.cycle_id, [locked.participant_id])
    tally.refresh(cycle_id=locked.cycle_id, participant_ids=[locked.participant_id])
    participant = locked.participant
    if locked.relationship == Relationship.MANAGER and participant.shared_at is not None:
        participant.shared_at = None
        participant.shared_by = None
        participant.acknowledged_at = None
        participant.save(update_fields=["shared_at", "shared_by", "acknowledged_at"])
    from tandem.reviews.scores import refresh_participant

    refresh_participant(participant)
    record(
        actor=by,
        kind="review.reopened",
        obj=locked,
        subject=locked.reviewee,
        changes={"state": [before, target]},
        note=reason,
    )
    notify(
        person=locked.reviewer,
        kind="reviews.assigned",
        title=f"HR reopened your {locked.get_relationship_display().lower()} "
        f"of {locked.reviewee.display_name}",
        body="HR gave a reason, which the review's history shows; the review is open for "
        "you to change and submit again.",
        url=reverse("reviews:review", args=[locked.pk]),
        dedupe_key=f"reviews.reopened:{locked.pk}:{now.isoformat()}",
    )
    for name in ("state", "reopened_at", "shared_at", "acknowledged_at", "submitted_at", "version"):
        setattr(review, name, getattr(locked, name))
    return review
