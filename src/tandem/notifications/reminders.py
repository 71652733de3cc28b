"""The notifications' entry in the reminder registry: the weekly digest, on Mondays.

`tandem send-reminders` (run from cron, see docs/operations.md) calls every registered
reminder with today's date; this one queues the digest task on Mondays when someone has a
digest waiting. Running it again the same day queues nothing more (see digest.py)."""

from __future__ import annotations

from datetime import date

from tandem.core.reminders import register
from tandem.notifications.digest import DIGEST_WEEKDAY, people_waiting
from tandem.notifications.tasks import send_weekly_digests


@register
def weekly_digest(today: date) -> int:
    """Queue the weekly digest on Mondays; returns how many people it will e-mail."""
    if today.weekday() != DIGEST_WEEKDAY:
        return 0
    waiting = people_waiting(today)
    if waiting:
        send_weekly_digests.enqueue(today.isoformat())
    return waiting
