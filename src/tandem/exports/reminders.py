"""The daily clean-up: expired exports' files are deleted (run by `tandem send-reminders`
and the `run_reminders` task, once a day)."""

from __future__ import annotations

from datetime import date

from tandem.core.reminders import register
from tandem.exports import services


@register
def delete_expired_exports(today: date) -> int:
    return services.delete_expired()
