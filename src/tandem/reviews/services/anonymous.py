"""Releasing the anonymous answers of review cycles, on a schedule (docs/anonymity.md).

Upward reviews and anonymous peer reviews are written in the peer-and-upward phase. Their
answers reach readers who may not know the writers only as groups (`queries.anonymous`),
and only once released: by the daily run of `tandem send-reminders` on any day after the
phase closed — never by the submit that reaches the minimum, so no reader can tell from
when the answers appeared who wrote last. Release stamps every person of the cycle with the
day; from then on their peer and upward reviews are final (`services.writing` refuses a
late one: it would stand out against the answers readers already saw).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.audit.services import record
from tandem.reviews.models import Cycle, CycleStatus, Participant, PhaseKind


def release_groups(today: date) -> int:
    """Release the anonymous groups of every cycle whose peer-and-upward phase closed
    before `today`: one UPDATE per cycle, one audit event each. Returns how many people's
    groups were released; running it again the same day releases nothing twice."""
    cycles = Cycle.objects.filter(
        status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED],
        phases__kind=PhaseKind.PEER,
        phases__due_on__lt=today,
        participants__anonymous_released_on__isnull=True,
        participants__removed_at__isnull=True,
    ).distinct()
    released = 0
    for cycle in cycles.order_by("pk"):
        with transaction.atomic():
            count = Participant.objects.filter(
                cycle=cycle, anonymous_released_on__isnull=True, removed_at__isnull=True
            ).update(anonymous_released_on=today)
            if count:
                with origin(None, "system"):
                    record(
                        actor=SYSTEM,
                        kind="review.anonymous_released",
                        obj=cycle,
                        changes={"people": count, "day": today},
                        note="Upward and anonymous peer answers released after the phase closed.",
                    )
            released += count
    return released
