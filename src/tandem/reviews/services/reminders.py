"""Reminding people of what they still have to do in a cycle.

`open_work` (a read, in `queries.progress`) finds, in a fixed number of grouped queries,
everyone with something open in the given phases and how much: reviews to write, peer
nominations to make or approve, manager reviews to share, shared reviews to acknowledge.
`remind` is HR's (or a manager's, for their subtree) one-click reminder: ONE notification
per person per click, however many things they have waiting. The automatic reminders
before deadlines live in `tandem.reviews.reminders` and use the same `open_work`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import actor_for, require
from tandem.audit.services import record
from tandem.core.queue import enqueue_on_commit
from tandem.notifications.services import Message, notify_many
from tandem.reviews import rules
from tandem.reviews.models import (
    PHASE_FOR_RELATIONSHIP,
    Cycle,
    CycleStatus,
    PhaseKind,
    Relationship,
)
from tandem.reviews.phases import phases_of, window_state
from tandem.reviews.queries.progress import (
    REMINDABLE_PHASES,
    Work,
    followed_participants,
    open_work,
    remindable_phases,
)

KIND = "reviews.reminder"
BATCH = 1000

# What is waiting, singular and plural, in the order a message lists them.
WORDS = {
    "write": ("review to write", "reviews to write"),
    "nominate": ("peer nomination to make", "peer nominations to make"),
    "approve": ("peer nomination to approve", "peer nominations to approve"),
    "share": ("manager review to share", "manager reviews to share"),
    "acknowledge": ("shared review to acknowledge", "shared reviews to acknowledge"),
}


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
    require(by, "cycle.progress", cycle)
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError({"cycle": f"The cycle “{cycle.name}” is not running."})
    if relationship is not None and relationship not in PHASE_FOR_RELATIONSHIP:
        raise ValidationError({"relationship": "Choose a kind of review to remind people of."})
    if phase is not None and phase not in REMINDABLE_PHASES:
        raise ValidationError({"phase": "Choose a phase to remind people of."})
    # Who has an open upward review must stay unknown to whoever may not follow upward
    # reviews: how many were reminded (and whether a given person was) would say it.
    # Their writers get the automatic reminders before the deadline instead.
    hide_upward = rules.upward_states_hidden(actor_for(by), cycle)
    if relationship == Relationship.UPWARD and hide_upward:
        raise ValidationError(
            {
                "relationship": "Upward reviews are anonymous: their writers are reminded "
                "automatically before the deadline, never by hand."
            }
        )
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
        exclude=(Relationship.UPWARD,) if hide_upward else (),
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
