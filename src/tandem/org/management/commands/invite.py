"""`tandem invite [--all-pending] [--again] [EMAIL…]`: e-mail people who have no password
yet an invitation (a link to choose one), from the command line.

With addresses, every one is checked first (known, still here, no password yet, not
invited before unless --again) and nothing is sent if any is refused. With --all-pending,
everyone who has no password and was never invited (with --again: everyone who has not
come in yet). The e-mails are queued for the worker; a progress bar shows the chunks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tandem.access.models import Invitation, InvitationVia
from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.org import queries
from tandem.org.models import Person, PersonStatus
from tandem.org.services.invitations import CHUNK, people_to_invite, send_invitations


class Command(BaseCommand):
    help = "E-mail an invitation (a link to choose a password) to people who have none yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("emails", nargs="*", metavar="EMAIL", help="work e-mails to invite")
        parser.add_argument(
            "--all-pending",
            action="store_true",
            help="everyone with no password who was never invited (leavers never)",
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="also send a new invitation to people invited before who have not come in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        emails = [e.strip().lower() for e in options["emails"] if e.strip()]
        again = options["again"]
        if options["all_pending"] == bool(emails):
            raise CommandError("Give the e-mails of the people to invite, or --all-pending.")
        with origin(None, "cli"):
            if emails:
                ids = self._chosen(emails, again=again)
            else:
                # Everyone who cannot sign in yet (--again), or those never invited.
                pending = (
                    Person.objects.filter(queries.invitable())
                    if again
                    else people_to_invite(SYSTEM)
                )
                ids = list(pending.order_by("pk").values_list("pk", flat=True))
            invited = self._send(ids, again=again, quiet=options["verbosity"] == 0)
        if not ids:
            self.stdout.write("Nobody to invite: everyone has a password or was invited.")
            return
        self.stdout.write(
            f"Invited {invited} {'person' if invited == 1 else 'people'}; the e-mails are "
            "queued for the worker (`tandem db_worker`)."
        )
        skipped = len(ids) - invited
        if skipped:
            self.stdout.write(f"{skipped} were invited or signed in meanwhile and were skipped.")

    def _chosen(self, emails: list[str], *, again: bool) -> list[int]:
        """Every address checked before anything is sent; one problem refuses them all."""
        people = {p.email: p for p in Person.objects.filter(email__in=emails)}
        invited = set(
            Invitation.objects.filter(person__email__in=emails).values_list(
                "person__email", flat=True
            )
        )
        problems = []
        for email in emails:
            person = people.get(email)
            if person is None:
                problems.append(f"{email}: nobody has this work e-mail.")
            elif person.status == PersonStatus.LEFT or not person.is_active:
                problems.append(
                    f"{email}: {person.display_name} has left; leavers are never invited."
                )
            elif not person.password.startswith(UNUSABLE_PASSWORD_PREFIX):
                problems.append(f"{email}: {person.display_name} has a password and can sign in.")
            elif email in invited and not again:
                problems.append(
                    f"{email}: {person.display_name} was invited before; add --again to send "
                    "a new invitation."
                )
        if problems:
            raise CommandError("Nobody was invited:\n  " + "\n  ".join(problems))
        return sorted(people[email].pk for email in dict.fromkeys(emails))

    def _send(self, ids: list[int], *, again: bool, quiet: bool) -> int:
        progress = Progress(
            TextColumn("Inviting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=quiet,
        )
        invited = 0
        with progress:
            bar = progress.add_task("Inviting", total=len(ids))
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                invited += len(
                    send_invitations(
                        person_ids=chunk, by=SYSTEM, again=again, via=InvitationVia.COMMAND_LINE
                    )
                )
                progress.update(bar, completed=start + len(chunk))
        return invited
