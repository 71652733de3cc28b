"""`tandem create-scim-token NAME`: issue a SCIM token from the server's command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.integrations.scim import services


class Command(BaseCommand):
    help = "Issue a token for an identity provider's SCIM provisioning (printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Which identity provider uses it, e.g. 'Okta'.")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        with origin(None, "cli"):
            try:
                token, raw = services.create_scim_token(name=name, by=SYSTEM)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        # The raw token alone on stdout, so scripts can capture it; the hint goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(
            f"SCIM token “{token.name}” issued. It is shown only this once: "
            "paste it into the identity provider now."
        )
