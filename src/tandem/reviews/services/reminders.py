"""Reminding people of what they still have to do in a cycle.

`open_work` finds, in a fixed number of grouped queries, everyone with something open in
the given phases and how much: reviews to write, peer nominations to make or approve,
manager reviews to share, shared reviews to acknowledge. `remind` is HR's (or a manager's,
for their subtree) one-click reminder: ONE notification per person per click, however many
things they have waiting. The automatic reminders before deadlines live in
`tandem.reviews.reminders` and use the same `open_work`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.tasks import enqueue_on_commit
from tandem.notifications.services import Message, notify_many
from tandem.reviews.models import (
    OPEN_STATES,
    PHASE_FOR_RELATIONSHIP,
    Cycle,
    CycleStatus,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.phases import phases_of, window_state

KIND = "reviews.reminder"
BATCH = 1000
ACTIVE_NOMINATIONS = (NominationStatus.PROPOSED, NominationStatus.APPROVED)

# What is waiting, singular and plural, in the order a message lists them.
WORDS = {
    "write": ("review to write", "reviews to write"),
    "nominate": ("peer nomination to make", "peer nominations to make"),
    "approve": ("peer nomination to approve", "peer nominations to approve"),
    "share": ("manager review to share", "manager reviews to share"),
    "acknowledge": ("shared review to acknowledge", "shared reviews to acknowledge"),
}
REMINDABLE_PHASES = (
    PhaseKind.SELF,
    PhaseKind.NOMINATION,
    PhaseKind.PEER,
    PhaseKind.MANAGER,
    PhaseKind.SHARING,
    PhaseKind.ACKNOWLEDGEMENT,
)

Work = dict[int, Counter[str]]


def _add(work: Work, rows: Iterable[tuple[int | None, int]], what: str) -> None:
    for person_id, count in rows:
        if person_id is not None and count:
            work.setdefault(person_id, Counter())[what] += count


def open_work(
    cycle: Cycle,
    *,
    phases: Iterable[str],
    participants: QuerySet[Participant] | None = None,
    relationship: str | None = None,
) -> Work:
    """{person id: Counter(what → how many)} for everything open in `phases`, about the
    participants given (all active participants of the cycle when None). At most one
    grouped query per kind of work, streamed."""
    kinds = set(phases)
    base = participants
    if base is None:
        base = Participant.objects.filter(cycle=cycle, removed_at__isnull=True)
    reviews = Review.objects.filter(cycle=cycle, participant__in=base.values("pk"))
    work: Work = {}
    relationships = [
        r
        for r, kind in PHASE_FOR_RELATIONSHIP.items()
        if kind in kinds and relationship in (None, r)
    ]
    if relationships:
        writing = (
            reviews.filter(state__in=list(OPEN_STATES), relationship__in=relationships)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        _add(work, writing.iterator(chunk_size=5000), "write")
    if relationship is not None:
        return work
    if PhaseKind.NOMINATION in kinds:
        too_few = (
            base.annotate(
                active=Count("nominations", filter=Q(nominations__status__in=ACTIVE_NOMINATIONS))
            )
            .filter(active__lt=cycle.peers_min)
            .values_list("person_id", "active")
            .order_by()
        )
        _add(work, ((pk, 1) for pk, _ in too_few.iterator(chunk_size=5000)), "nominate")
        proposals = (
            base.filter(nominations__status=NominationStatus.PROPOSED)
            .values_list("manager_id")
            .annotate(n=Count("nominations"))
            .order_by()
        )
        _add(work, proposals.iterator(chunk_size=5000), "approve")
    if PhaseKind.SHARING in kinds:
        to_share = (
            reviews.filter(
                relationship=Relationship.MANAGER,
                state=ReviewState.SUBMITTED,
                participant__shared_at__isnull=True,
            )
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        _add(work, to_share.iterator(chunk_size=5000), "share")
    if PhaseKind.ACKNOWLEDGEMENT in kinds:
        to_acknowledge = base.filter(
            shared_at__isnull=False, acknowledged_at__isnull=True
        ).values_list("person_id", flat=True)
        _add(work, ((pk, 1) for pk in to_acknowledge.iterator(chunk_size=5000)), "acknowledge")
    return work


def describe(waiting: Counter[str]) -> str:
    """ "2 reviews to write and 1 peer nomination to approve"."""
    parts = [
        f"{waiting[what]} {WORDS[what][0] if waiting[what] == 1 else WORDS[what][1]}"
        for what in WORDS
        if waiting[what]
    ]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def messages_for(
    cycle: Cycle, work: Work, *, key: str, deadline: date | None = None
) -> Iterator[Message]:
    """One message per person; `key` makes each dedupe key (one per person per key)."""
    url = reverse("reviews:mine")
    closes = f" It closes on {date_format(deadline, 'j F Y')}." if deadline else ""
    for person_id, waiting in work.items():
        total = sum(waiting.values())
        yield Message(
            person_id=person_id,
            title=f"{cycle.name}: {total} thing{'s' if total != 1 else ''} waiting for you",
            body=f"In the review cycle “{cycle.name}” you have {describe(waiting)}.{closes}",
            url=url,
            dedupe_key=f"{key}:{person_id}",
        )


def send(messages: Iterable[Message]) -> int:
    """Bulk sends in batches: a fixed number of queries per thousand people."""
    sent = 0
    batch: list[Message] = []
    for message in messages:
        batch.append(message)
        if len(batch) >= BATCH:
            sent += notify_many(kind=KIND, messages=batch)
            batch = []
    return sent + notify_many(kind=KIND, messages=batch)


def remindable_phases(cycle: Cycle, today: date | None = None) -> list[Phase]:
    """The cycle's phases open today in which there can be something to do."""
    return [
        phase
        for kind, phase in phases_of(cycle).items()
        if kind in REMINDABLE_PHASES and window_state(phase, today) == "open"
    ]


@transaction.atomic
def remind(
    cycle: Cycle,
    *,
    by: Any,
    relationship: str | None = None,
    people: Iterable[int] | None = None,
    phase: str | None = None,
) -> int:
    """Remind everyone with something open in an open phase of `cycle` (about participants
    `by` follows: HR all or their departments, a manager their subtree), ONE notification
    per person listing how many things wait. Narrowed to one `phase`, one `relationship`
    or some `people` (person ids) when given. Returns how many were reminded; audited."""
    from tandem.reviews.queries.progress import followed_participants

    require(by, "cycle.progress", cycle)
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError({"cycle": f"The cycle “{cycle.name}” is not running."})
    if relationship is not None and relationship not in PHASE_FOR_RELATIONSHIP:
        raise ValidationError({"relationship": "Choose a kind of review to remind people of."})
    if phase is not None and phase not in REMINDABLE_PHASES:
        raise ValidationError({"phase": "Choose a phase to remind people of."})
    open_phases = remindable_phases(cycle)
    kinds = {p.kind for p in open_phases}
    wanted = set(kinds)
    if phase is not None:
        wanted &= {phase}
    if relationship is not None:
        wanted &= {PHASE_FOR_RELATIONSHIP[relationship]}  # type: ignore[index]
    if not wanted:
        label = PhaseKind(phase).label.lower() if phase else "review"
        raise ValidationError({"phase": f"The {label} phase is not open, so no one was reminded."})
    work = open_work(
        cycle,
        phases=wanted,
        participants=followed_participants(by, cycle),
        relationship=relationship,
    )
    if people is not None:
        keep = set(people)
        work = {pk: waiting for pk, waiting in work.items() if pk in keep}
    deadlines = [p.due_on for p in open_phases if p.kind in wanted]
    deadline = min(deadlines) if len(wanted) == 1 and deadlines else None
    click = f"reviews-remind:{cycle.pk}:{timezone.now():%Y%m%d%H%M%S}:{uuid.uuid4().hex[:8]}"
    sent = send(messages_for(cycle, work, key=click, deadline=deadline))
    record(
        actor=by,
        kind="review.remind",
        obj=cycle,
        changes={
            "people": sent,
            "phase": phase or "every open phase",
            "relationship": relationship or "every relationship",
        },
    )
    return sent


def queue_reminders(
    cycle: Cycle, *, by: Any, phase: str | None = None, relationship: str | None = None
) -> None:
    """Check that `by` may remind, then send in the background (a whole company's worth of
    notifications does not belong in a request): the task runs after commit, with ids."""
    require(by, "cycle.progress", cycle)
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError({"cycle": f"The cycle “{cycle.name}” is not running."})
    if phase is not None and window_state(phases_of(cycle).get(phase)) != "open":
        label = PhaseKind(phase).label.lower() if phase in PhaseKind.values else "review"
        raise ValidationError({"phase": f"The {label} phase is not open, so no one was reminded."})
    enqueue_on_commit(
        "tandem.reviews.tasks.send_cycle_reminders",
        cycle.pk,
        by.pk,
        phase or "",
        relationship or "",
    )
