"""`tandem send-queued-email`: send every e-mail of the outbox that is due now.

Retries happen by themselves (deferred tasks, and every `tandem send-reminders` run); this is
for an operator who fixed the mail server and does not want to wait (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tandem.core.mail import send_due
from tandem.core.models import OutgoingEmail


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox (those due now; --all: every waiting one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Do not wait for the back-off: try every waiting e-mail now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).update(
                next_attempt_at=timezone.now()
            )
        sent = send_due()
        waiting = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
        ).count()
        self.stdout.write(f"{sent} sent, {waiting} still waiting")
