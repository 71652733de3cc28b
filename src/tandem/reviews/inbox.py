"""The reviews' entries in "Things waiting for you", in five bounded queries whatever the
person has waiting:

1. reviews they write whose phase is open today (with the phase's due date);
2. their own participations: peer nominations to make (fewer than the cycle's minimum
   while the nomination phase is open) and a shared review to acknowledge;
3. nominations waiting for them: proposals to approve as the manager at launch (one
   query), and requests to be someone's peer reviewer, which they may decline (another);
4. manager reviews they submitted and may share now: the sharing phase is open and no
   open calibration session holds the person ("Share your review of Ana"), leading to the
   submitted review, whose Share button is the one action left.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from tandem.notifications.inbox import PROVIDER_LIMIT, InboxItem, register_provider
from tandem.reviews.models import (
    OPEN_STATES,
    CalibrationState,
    CycleStatus,
    Nomination,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.queries.progress import ACTIVE_NOMINATIONS, with_phase_dates

SOURCE = "Reviews"


def _phase_date(kind: str, column: str) -> Subquery:
    return Subquery(
        Phase.objects.filter(cycle=OuterRef("cycle_id"), kind=kind).values(column)[:1],
        output_field=DateField(),
    )


def _open_on(today: date, kind: str, prefix: str = "") -> Q:
    """The phase `kind` of the row's cycle is open today (as annotations `<prefix>opens`,
    `<prefix>due`)."""
    return Q(**{f"{prefix}opens__lte": today, f"{prefix}due__gte": today})


def _reviews_to_write(person: Any, today: date) -> list[InboxItem]:
    reviews = (
        with_phase_dates(
            Review.objects.filter(
                reviewer_id=person.pk,
                state__in=list(OPEN_STATES),
                cycle__status=CycleStatus.ACTIVE,
                participant__removed_at__isnull=True,
            )
        )
        .filter(opens_on__lte=today, due_on__gte=today)  # type: ignore[misc]
        .select_related("reviewee", "cycle")
        .order_by("due_on", "pk")[:PROVIDER_LIMIT]
    )
    items = []
    for review in reviews:
        if review.relationship == Relationship.SELF:
            title = f"Write your self review ({review.cycle.name})"
        else:
            title = (
                f"Write your {review.get_relationship_display().lower()} of "
                f"{review.reviewee.display_name} ({review.cycle.name})"
            )
        items.append(
            InboxItem(
                kind="reviews.write",
                title=title,
                url=reverse("reviews:review", args=[review.pk]),
                due=review.due_on,  # type: ignore[attr-defined]
                source=SOURCE,
            )
        )
    return items


def _my_participations(person: Any, today: date) -> list[InboxItem]:
    participations = (
        Participant.objects.filter(
            person_id=person.pk, removed_at__isnull=True, cycle__status=CycleStatus.ACTIVE
        )
        .annotate(
            nomination_opens=_phase_date(PhaseKind.NOMINATION, "opens_on"),
            nomination_due=_phase_date(PhaseKind.NOMINATION, "due_on"),
            ack_due=_phase_date(PhaseKind.ACKNOWLEDGEMENT, "due_on"),
            active_nominations=Count(
                "nominations", filter=Q(nominations__status__in=ACTIVE_NOMINATIONS)
            ),
        )
        .filter(
            Q(
                nomination_opens__lte=today,
                nomination_due__gte=today,
                active_nominations__lt=F("cycle__peers_min"),
            )
            | Q(shared_at__isnull=False, acknowledged_at__isnull=True)
        )
        .select_related("cycle")
        .order_by("pk")[:PROVIDER_LIMIT]
    )
    items = []
    for p in participations:
        in_nomination = (
            p.nomination_opens is not None and p.nomination_opens <= today <= p.nomination_due
        )
        if in_nomination and p.active_nominations < p.cycle.peers_min:
            items.append(
                InboxItem(
                    kind="reviews.nominate",
                    title=f"Choose the colleagues who will review you ({p.cycle.name})",
                    url=reverse("reviews:nominations", args=[p.pk]),
                    due=p.nomination_due,
                    source=SOURCE,
                )
            )
        if p.shared_at is not None and p.acknowledged_at is None:
            items.append(
                InboxItem(
                    kind="reviews.acknowledge",
                    title=f"Read and acknowledge your review ({p.cycle.name})",
                    url=reverse("reviews:participant", args=[p.pk]),
                    due=p.ack_due,
                    source=SOURCE,
                )
            )
    return items


def _proposed_nominations(person_filter: Q, today: date) -> QuerySet[Nomination]:
    """Proposed nominations of running cycles whose nomination phase is open today, soonest
    due first, narrowed by `person_filter` before anything else is computed."""
    return (
        Nomination.objects.filter(
            person_filter,
            status=NominationStatus.PROPOSED,
            cycle__status=CycleStatus.ACTIVE,
            participant__removed_at__isnull=True,
        )
        .annotate(
            opens=_phase_date(PhaseKind.NOMINATION, "opens_on"),
            due=_phase_date(PhaseKind.NOMINATION, "due_on"),
        )
        .filter(_open_on(today, PhaseKind.NOMINATION))
        .select_related("participant__person", "cycle")
        .order_by("due", "participant_id", "pk")
    )


def _nominations_for_me(person: Any, today: date) -> list[InboxItem]:
    """Proposals to approve as the manager at launch, then requests to be a peer reviewer.

    Two queries, each starting from an indexed column (the participants one managed at
    launch, the nominations naming one as the peer): one query with an OR between the two made
    PostgreSQL walk every proposed nomination of the company (issue 11)."""
    to_approve = _proposed_nominations(Q(participant__manager_id=person.pk), today)
    approvals: dict[int, InboxItem] = {}
    # One item per participant: a participant has at most a cycle's peers_max proposals.
    for n in to_approve[: PROVIDER_LIMIT * 10]:
        if n.participant_id in approvals:
            continue
        approvals[n.participant_id] = InboxItem(
            kind="reviews.approve",
            title=f"Approve the peers {n.participant.person.display_name} chose ({n.cycle.name})",
            url=reverse("reviews:nominations", args=[n.participant_id]),
            due=n.due,  # type: ignore[attr-defined]
            source=SOURCE,
        )
        if len(approvals) == PROVIDER_LIMIT:
            break
    requests = [
        InboxItem(
            kind="reviews.peer_request",
            title=(
                f"{n.participant.person.display_name} would like you to review them "
                f"({n.cycle.name})"
            ),
            url=reverse("reviews:mine"),
            due=n.due,  # type: ignore[attr-defined]
            source=SOURCE,
        )
        for n in _proposed_nominations(Q(peer_id=person.pk), today)[:PROVIDER_LIMIT]
    ]
    return [*approvals.values(), *requests][:PROVIDER_LIMIT]


def _reviews_to_share(person: Any, today: date) -> list[InboxItem]:
    """Submitted manager reviews the writer may share today. The same conditions as the
    Share button (`queries.writing.can_share_now`): the writer is the manager reviewer (the
    `participant.share` rule), the sharing phase is open, no open calibration session
    discusses the person, and the review is not shared yet."""
    reviews = (
        Review.objects.filter(
            reviewer_id=person.pk,
            relationship=Relationship.MANAGER,
            state=ReviewState.SUBMITTED,
            cycle__status=CycleStatus.ACTIVE,
            participant__removed_at__isnull=True,
            participant__shared_at__isnull=True,
        )
        .exclude(participant__calibration_state=CalibrationState.OPEN)
        .annotate(
            opens=_phase_date(PhaseKind.SHARING, "opens_on"),
            due=_phase_date(PhaseKind.SHARING, "due_on"),
            calibration_due=_phase_date(PhaseKind.CALIBRATION, "due_on"),
        )
        .filter(_open_on(today, PhaseKind.SHARING))
        .filter(Q(calibration_due__isnull=True) | Q(calibration_due__lt=today))
        .select_related("reviewee", "cycle")
        .order_by("due", "pk")[:PROVIDER_LIMIT]
    )
    return [
        InboxItem(
            kind="reviews.share",
            title=f"Share your review of {review.reviewee.display_name} ({review.cycle.name})",
            url=reverse("reviews:review", args=[review.pk]),
            due=review.due,
            source=SOURCE,
        )
        for review in reviews
    ]


@register_provider
def review_work(person: Any) -> list[InboxItem]:
    """Five queries, at most PROVIDER_LIMIT items each, soonest due first (the inbox sorts
    and cuts the merged list)."""
    today = timezone.localdate()
    items = [
        *_reviews_to_write(person, today),
        *_my_participations(person, today),
        *_nominations_for_me(person, today),
        *_reviews_to_share(person, today),
    ]
    items.sort(key=lambda item: (item.due is None, item.due or date.max, item.title))
    return items[:PROVIDER_LIMIT]
