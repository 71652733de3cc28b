"""`tandem send-reminders`: send every reminder that is due today (each exactly once).

Run it from cron once a day (or more often: it is safe). Features register their reminder
functions in tandem.core.reminders; this runs them all."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.audit.context import origin
from tandem.core.reminders import run_all


class Command(BaseCommand):
    help = "Send every reminder that is due (feedback requests, check-ins, …), each once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today: use the form YYYY-MM-DD, e.g. 2025-03-14.") from None
        with origin(ip_address=None, via="cli"):
            sent = run_all(today)
        for name, count in sent.items():
            self.stdout.write(f"{name}: {count} sent")
        self.stdout.write(self.style.SUCCESS(f"{sum(sent.values())} reminders sent"))
