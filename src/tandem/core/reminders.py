"""Reminders that go out on a schedule, from every feature, through one entry point.

A feature registers a function `fn(today) -> int` (how many reminders it sent) at start-up:

    from tandem.core.reminders import register

    @register
    def feedback_request_reminders(today: date) -> int: ...

Each function must be safe to call any number of times a day: it sends each reminder once
(a `notify(..., dedupe_key=...)` and a "reminded" mark). `tandem send-reminders` runs them
all; so does the `run_reminders` task, for a periodic runner (cron, a scheduler, RQ).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

Reminder = Callable[[date], int]
REMINDERS: list[Reminder] = []


def register(fn: Reminder) -> Reminder:
    """Add a reminder function (registering the same function again is a no-op)."""
    if fn not in REMINDERS:
        REMINDERS.append(fn)
    return fn


def run_all(today: date | None = None) -> dict[str, int]:
    """Run every registered reminder for `today`; returns how many each one sent."""
    today = today or timezone.localdate()
    sent: dict[str, int] = {}
    for fn in list(REMINDERS):
        name = f"{fn.__module__}.{fn.__qualname__}"
        sent[name] = fn(today)
        logger.info("reminders: %s sent %d", name, sent[name])
    return sent


@task()
def run_reminders(today: str | None = None) -> int:
    """The task a periodic runner enqueues (once a day is enough; more often is harmless).
    `today` is an ISO date string (tasks take plain arguments) or None for today."""
    day = date.fromisoformat(today) if today else None
    return sum(run_all(day).values())
