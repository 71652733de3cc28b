"""The audit trail's daily hook: each finished day's anonymous tallies enter the trail."""

from __future__ import annotations

from datetime import date

from tandem.audit.services import flush_anonymous
from tandem.core.reminders import register


@register
def write_anonymous_tallies(today: date) -> int:
    """Days before `today`: one anonymous event per kind of act (`services.flush_anonymous`)."""
    return flush_anonymous(today)
