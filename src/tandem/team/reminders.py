"""The team hub's entry in the reminder registry: the manager's weekly digest, on Mondays.

`tandem send-reminders` (cron, see docs/operations.md) calls it with today's date (the
company's time zone); on Mondays it sends "This week for your team" to every manager with
something that needs them. Running it again the same week sends nothing new (weekly.py)."""

from __future__ import annotations

from datetime import date

from tandem.core.reminders import register
from tandem.team.weekly import WEEKDAY, send_team_weeks


@register
def team_weekly(today: date) -> int:
    """On Mondays, each manager's "This week for your team"; returns how many are new."""
    if today.weekday() != WEEKDAY:
        return 0
    return send_team_weeks(today).sent
