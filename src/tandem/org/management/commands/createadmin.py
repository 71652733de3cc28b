"""`tandem createadmin EMAIL`: the first HR admin of an installation (or one more).

An empty installation has nobody who may grant roles, and `/hr/roles/` needs an HR admin:
this is the way in. The person is found by e-mail or created, granted HR admin (audited,
as done by the command line), and then either types a password here or gets a one-time
link at which they choose one.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.access.rules import SYSTEM
from tandem.access.services import set_password_link
from tandem.audit.context import origin
from tandem.org.services.people import provision_admin


class Command(BaseCommand):
    help = "Make EMAIL an HR admin (created if new), then set a password or print a sign-in link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="their work e-mail (their sign-in name)")
        parser.add_argument("--first-name", default="", help="for a new person")
        parser.add_argument("--last-name", default="", help="for a new person")
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--password",
            action="store_true",
            help="ask for a password now (the default at a terminal)",
        )
        how.add_argument(
            "--link",
            action="store_true",
            help="print a one-time link at which they choose a password (the default otherwise)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        first, last = options["first_name"].strip(), options["last_name"].strip()
        try:
            with origin(None, "cli"):
                person, created = provision_admin(
                    email=email,
                    first_name=first or email.split("@")[0].title(),
                    last_name=last or "Admin",
                    by=SYSTEM,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{'Created' if created else 'Found'} {person.display_name} <{person.email}>; "
            "they are an HR admin."
        )
        ask = options["password"] or (not options["link"] and sys.stdin.isatty())
        if ask:
            person.set_password(self._ask_password(person))
            person.save(update_fields=["password"])
            self.stdout.write("Password set: they can sign in now.")
        else:
            days = settings.INVITATION_TIMEOUT // 86400
            self.stdout.write(
                f"They choose a password at this one-time link (it works for {days} "
                f"day{'s' if days != 1 else ''}; `tandem invite {person.email}` e-mails one):"
            )
            self.stdout.write(f"  {set_password_link(person)}")

    def _ask_password(self, person: Any) -> str:
        for _ in range(3):
            first = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != first:
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(first, person)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first
        raise CommandError("No password set; run the command again, or use --link.")
