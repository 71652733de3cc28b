"""The daily hooks of reviews: automatic reminders before deadlines, releasing reviews on
the cycle's "share all on" date, and releasing anonymous answers once their phase closed.
HR's one-click reminder is a task (`tasks.py`).

All three are registered with `tandem.core.reminders`, so `tandem send-reminders` or the daily
`run_reminders` task runs them with today's date; running them twice a day sends and shares
nothing twice. For each phase of each running cycle, people with something open in it get
ONE reminder `program.review_reminder_days_before` days before it closes (key "3" for three
days) and one on its last day (key "0"). Each goes once: the phase records the keys it sent
in `reminders_sent`, and each notification carries a dedupe key naming the phase, the key
and the person, so a rerun — even one interrupted half-way — sends nobody anything twice. A
runner that missed the day sends the "before" reminder late rather than never (until the
last day, when only the last-day reminder goes).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from tandem.core.reminders import register
from tandem.program.models import Program
from tandem.reviews.models import CycleStatus, Phase
from tandem.reviews.queries.progress import REMINDABLE_PHASES, open_work
from tandem.reviews.services import reminders as service
from tandem.reviews.services.anonymous import release_groups
from tandem.reviews.services.sharing import release_due


def reminder_key(phase: Phase, today: date, days_before: int) -> str | None:
    """Which reminder of `phase` is due today: str(days_before), "0", or None."""
    if today < phase.opens_on or today > phase.due_on:
        return None
    if today == phase.due_on:
        return "0"
    if today >= phase.due_on - timedelta(days=days_before):
        return str(days_before)
    return None


def phase_dedupe_prefix(phase: Phase, key: str) -> str:
    return f"reviews-reminder:{phase.pk}:{key}"


def remind_phase(phase: Phase, key: str) -> int:
    """Send reminder `key` of `phase` to everyone with something open in it, and mark it
    sent. Returns how many were reminded."""
    with transaction.atomic():
        locked = Phase.objects.select_for_update().select_related("cycle").get(pk=phase.pk)
        if key in (locked.reminders_sent or []):
            return 0
        cycle = locked.cycle
        work = open_work(cycle, phases=[locked.kind])
        sent = service.send(
            service.messages_for(
                cycle, work, key=phase_dedupe_prefix(locked, key), deadline=locked.due_on
            )
        )
        locked.reminders_sent = [*(locked.reminders_sent or []), key]
        locked.save(update_fields=["reminders_sent"])
    return sent


@register
def send_review_reminders(today: date) -> int:
    """Every due reminder of every running cycle's phases; returns how many people were
    reminded. One query to find the phases, then a fixed few per phase due today."""
    days_before = Program.current().review_reminder_days_before
    phases = Phase.objects.filter(
        cycle__status=CycleStatus.ACTIVE,
        kind__in=REMINDABLE_PHASES,
        opens_on__lte=today,
        due_on__gte=today,
    ).order_by("pk")
    sent = 0
    for phase in phases:
        key = reminder_key(phase, today, days_before)
        if key is not None and key not in (phase.reminders_sent or []):
            sent += remind_phase(phase, key)
    return sent


@register
def release_reviews_due(today: date) -> int:
    """Share the reviews whose cycle releases them today (`services.sharing.release_due`)."""
    return release_due(today)


@register
def release_anonymous_answers(today: date) -> int:
    """Release the upward and anonymous peer answers of phases that closed before today
    (`services.anonymous.release_groups`)."""
    return release_groups(today)
