"""`tandem invite [--all-pending] [--again] [EMAIL…]`: invitations from the command line."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tandem.access.models import Invitation, InvitationVia
from tandem.audit.models import AuditEvent
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str, capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("invite", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_invites_the_people_named(django_capture_on_commit_callbacks: Any) -> None:
    ana = PersonFactory(password=None, email="ana@example.com")
    PersonFactory(password=None, email="bo@example.com")

    output = run("ANA@example.com", capture=django_capture_on_commit_callbacks)

    assert "Invited 1 person" in output
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    invitation = Invitation.objects.get(person=ana)
    assert invitation.via == InvitationVia.COMMAND_LINE and invitation.sent_by is None
    assert AuditEvent.objects.get(kind="person.invite").actor_label == "command line"


def test_all_pending_invites_everyone_never_invited_and_no_leaver(
    django_capture_on_commit_callbacks: Any,
) -> None:
    for name in ("ana", "bo"):
        PersonFactory(password=None, email=f"{name}@example.com")
    invited = PersonFactory(password=None, email="cy@example.com")
    Invitation.objects.create(person=invited)
    PersonFactory(password=None, email="gone@example.com", status=PersonStatus.LEFT)
    PersonFactory(email="has-password@example.com")

    output = run("--all-pending", capture=django_capture_on_commit_callbacks)

    assert "Invited 2 people" in output
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "bo@example.com"]


def test_again_sends_a_new_invitation_to_people_invited_before(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = PersonFactory(password=None, email="ana@example.com")
    Invitation.objects.create(person=ana)

    run("--all-pending", "--again", capture=django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert Invitation.objects.get(person=ana).times == 2


def test_one_refused_address_sends_nothing_and_names_every_problem(
    django_capture_on_commit_callbacks: Any,
) -> None:
    PersonFactory(password=None, email="ana@example.com")
    PersonFactory(password=None, email="gone@example.com", status=PersonStatus.LEFT)
    PersonFactory(email="pw@example.com")

    with pytest.raises(CommandError) as error:
        run(
            "ana@example.com",
            "gone@example.com",
            "pw@example.com",
            "who@example.com",
            capture=django_capture_on_commit_callbacks,
        )

    message = str(error.value)
    assert "gone@example.com" in message and "leavers are never invited" in message
    assert "pw@example.com" in message and "has a password" in message
    assert "who@example.com: nobody has this work e-mail" in message
    assert not mail.outbox and not Invitation.objects.exists()


def test_someone_invited_before_needs_again(django_capture_on_commit_callbacks: Any) -> None:
    Invitation.objects.create(person=PersonFactory(password=None, email="ana@example.com"))

    with pytest.raises(CommandError, match="add --again"):
        run("ana@example.com", capture=django_capture_on_commit_callbacks)


def test_it_needs_addresses_or_all_pending() -> None:
    with pytest.raises(CommandError, match="--all-pending"):
        call_command("invite", stdout=StringIO())
