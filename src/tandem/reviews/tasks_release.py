"""Releasing reviews on the cycle's "share all on" date: registered with the daily
reminders run (`tandem send-reminders`, the `run_reminders` task), which calls it with
today's date. Running it twice a day shares nothing twice."""

from __future__ import annotations

from datetime import date

from tandem.core.reminders import register
from tandem.reviews.services.sharing import release_due


@register
def release_reviews_due(today: date) -> int:
    return release_due(today)
