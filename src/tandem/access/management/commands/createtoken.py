"""`tandem createtoken EMAIL [--name N]`: a personal API token, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.access import services
from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.org.models import Person


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL and print it (it cannot be shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's work e-mail")
        parser.add_argument(
            "--name", default="Command-line token", help="what the token is for (shown in lists)"
        )

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        person = Person.objects.filter(email=email.strip().lower()).first()
        if person is None:
            raise CommandError(f"No one has the work e-mail {email!r}.")
        with origin(None, "cli"):
            try:
                token, raw = services.create_token(person=person, name=name, by=SYSTEM)
            except ValueError as error:
                raise CommandError(str(error)) from None
        # The raw token alone on stdout, so scripts can capture it; the hint goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(
            f"Token “{token.name}” for {person.email} created. It is shown only this once: "
            "store it now. Revoke it at /settings/tokens/ or /it/tokens/."
        )
