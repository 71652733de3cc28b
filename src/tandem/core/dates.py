"""How a due date reads, the same everywhere: "10 Dec", "due today", "overdue since 9 Dec".

Due dates are calendar days (no time, no zone). Whether one is today or past is judged
against today in the viewer's time zone (`timezone.localdate()`, which the request
middleware sets to the viewer's zone), never against the server's date in UTC.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def day_month(day: date) -> str:
    """ "9 Dec": the day without a leading zero, as the pages' `j M` shows it."""
    return f"{day.day} {day:%b}"


def day_month_year(day: date) -> str:
    """ "9 Dec 2026", as the pages' `j M Y` shows it."""
    return f"{day_month(day)} {day:%Y}"


def due_phrase(due: date, *, today: date | None = None) -> str:
    """ "due 10 Dec", "due today" or "overdue since 9 Dec", judged in the viewer's zone."""
    today = today or timezone.localdate()
    if due < today:
        return f"overdue since {day_month(due)}"
    if due == today:
        return "due today"
    return f"due {day_month(due)}"
