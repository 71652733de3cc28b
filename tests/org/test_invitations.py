"""Invitations: people without a password (an import's) get an e-mail with a way in, from
HR, in bulk, or when they ask "Forgot your password?"; the link works once and expires."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import Invitation, InvitationVia
from tandem.access.rules import SYSTEM
from tandem.audit.models import AuditEvent
from tandem.org.models import Company, ImportBatch, Person, PersonStatus
from tandem.org.services import invitations
from tandem.org.services.imports import import_people
from tandem.program.models import Program
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.org.fixtures.import_files import TEAM, csv_bytes

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"
NOON = datetime(2031, 6, 9, 12, 0, tzinfo=UTC)


def imported(*names: str) -> list[Person]:
    """People created the way an HRIS import creates them: no password."""
    rows = [
        {"email": f"{name.lower()}@example.com", "first_name": name, "last_name": "Imported"}
        for name in names
    ]
    result = import_people(by=SYSTEM, rows=rows)
    assert result.applied, result.problems
    return list(Person.objects.filter(email__in=[r["email"] for r in rows]).order_by("pk"))


def welcome_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/welcome/[^\s]+)", body)
    assert match, body
    return match.group(1)


def accept(client: Client, body: str) -> Any:
    """Follow the link of an e-mail and choose a password; the response after it."""
    page = client.get(welcome_path(body), follow=True)
    assert "Welcome to Tandem" in page.text, page.text
    return client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def invite(person: Person, by: Any, capture: Any, **options: Any) -> Invitation:
    with capture(execute=True):
        return invitations.invite_person(person=person, by=by, **options)


# --- The e-mail --------------------------------------------------------------------------------


def test_an_invitation_says_who_invites_what_tandem_is_for_and_how_to_get_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    Company.objects.create(pk=1, name="Acme")
    Program.objects.create(pk=1, purpose_statement="We grow people, not paperwork.")
    hr = hr_admin(first_name="Hana", last_name="Ruiz", title="People Partner")
    (ana,) = imported("Ana")

    invite(ana, hr, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.subject == "Hana Ruiz invites you to Tandem at Acme"
    assert "Hana Ruiz (People Partner) invites you to Tandem at Acme." in message.body
    assert "Why Acme uses it: We grow people, not paperwork." in message.body
    assert "Your sign-in name is your work e-mail, ana@example.com." in message.body
    assert "for the next 7 days" in message.body
    welcome_path(message.body)


def test_without_a_purpose_statement_the_program_s_purposes_are_said_in_plain_words(
    django_capture_on_commit_callbacks: Any,
) -> None:
    (ana,) = imported("Ana")

    invite(ana, SYSTEM, django_capture_on_commit_callbacks)

    assert "used to help each person grow" in mail.outbox[0].body


def test_the_link_lets_them_choose_a_password_and_signs_them_in(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    (ana,) = imported("Ana")
    invite(ana, hr_admin(), django_capture_on_commit_callbacks)

    response = accept(client, mail.outbox[0].body)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == ana
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD) and ana.last_login is not None


def test_a_used_link_cannot_be_used_again(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    (ana,) = imported("Ana")
    invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    accept(client, mail.outbox[0].body)

    page = Client().get(welcome_path(mail.outbox[0].body), follow=True)

    assert "This invitation link no longer works" in page.text
    assert 'name="new_password1"' not in page.text


def test_an_expired_link_says_so_and_how_to_get_a_new_one(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INVITATION_TIMEOUT = 2 * 24 * 3600
    (ana,) = imported("Ana")
    with time_machine.travel(NOON, tick=False):
        invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    with time_machine.travel(NOON + timedelta(days=2, minutes=1), tick=False):
        page = client.get(welcome_path(mail.outbox[0].body), follow=True)

    assert "This invitation link no longer works" in page.text
    assert "work once, for 2 days" in page.text
    assert reverse("password_reset") in page.text
    assert "Ask your HR team to send the invitation again" in page.text


def test_a_link_still_works_the_day_before_it_expires(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INVITATION_TIMEOUT = 2 * 24 * 3600
    (ana,) = imported("Ana")
    with time_machine.travel(NOON, tick=False):
        invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        page = client.get(welcome_path(mail.outbox[0].body), follow=True)

    assert "Welcome to Tandem, Ana" in page.text


def test_a_password_reset_link_is_not_an_invitation_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    (ana,) = imported("Ana")
    invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    path = welcome_path(mail.outbox[0].body).replace("/welcome/", "/password-reset/")

    page = client.get(path, follow=True)

    assert 'name="new_password1"' not in page.text


def test_someone_who_left_cannot_use_a_link_kept_from_before(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    (ana,) = imported("Ana")
    invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    Person.objects.filter(pk=ana.pk).update(status=PersonStatus.LEFT, is_active=False)

    page = client.get(welcome_path(mail.outbox[0].body), follow=True)

    assert "This invitation link no longer works" in page.text


# --- Once per person, never a leaver, audited -------------------------------------------------


def test_a_second_invitation_must_be_asked_for_as_sending_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = hr_admin()
    (ana,) = imported("Ana")
    invite(ana, hr, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="already invited"):
        invite(ana, hr, django_capture_on_commit_callbacks)
    invitation = invite(ana, hr, django_capture_on_commit_callbacks, again=True)

    assert len(mail.outbox) == 2
    assert invitation.times == 2 and invitation.sent_by == hr


def test_leavers_are_never_invited(django_capture_on_commit_callbacks: Any) -> None:
    (ana,) = imported("Ana")
    Person.objects.filter(pk=ana.pk).update(status=PersonStatus.LEFT, is_active=False)
    ana.refresh_from_db()

    with pytest.raises(ValidationError, match="leavers are never invited"):
        invite(ana, hr_admin(), django_capture_on_commit_callbacks)
    assert not mail.outbox and not Invitation.objects.exists()


def test_someone_with_a_password_is_not_invited(django_capture_on_commit_callbacks: Any) -> None:
    with pytest.raises(ValidationError, match="already has a password"):
        invite(PersonFactory(), hr_admin(), django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_each_invitation_is_audited_with_who_sent_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = hr_admin()
    (ana,) = imported("Ana")

    invite(ana, hr, django_capture_on_commit_callbacks)

    event = AuditEvent.objects.get(kind="person.invite")
    assert event.actor == hr and event.subject_id == ana.pk
    assert event.changes == {"via": InvitationVia.HR.label}


def test_an_hr_partner_cannot_invite_someone_outside_their_departments(
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner = hr_partner([DepartmentFactory()])
    (ana,) = imported("Ana")

    with pytest.raises(Exception, match="denied"):
        invite(ana, partner, django_capture_on_commit_callbacks)
    assert not mail.outbox


# --- Everyone at once ---------------------------------------------------------------------------


def test_a_bulk_invitation_reaches_everyone_not_invited_yet_in_chunks(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(invitations, "CHUNK", 2)
    chunks: list[list[int]] = []
    real = invitations.send_invitations
    monkeypatch.setattr(
        invitations,
        "send_invitations",
        lambda **kw: chunks.append(list(kw["person_ids"])) or real(**kw),
    )
    hr = hr_admin()
    people = imported("Ana", "Bo", "Cy", "Di", "Ed")
    invite(people[0], hr, django_capture_on_commit_callbacks)
    PersonFactory(password=None, status=PersonStatus.LEFT)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        count = invitations.invite_people(by=hr)

    assert count == 4
    assert [len(chunk) for chunk in chunks] == [2, 2]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bo@example.com",
        "cy@example.com",
        "di@example.com",
        "ed@example.com",
    ]
    assert AuditEvent.objects.filter(kind="people.invite", actor=hr).count() == 1


def test_a_chunk_skips_people_invited_since_it_was_made(
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = hr_admin()
    ana, bo = imported("Ana", "Bo")
    invite(ana, hr, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.send_invitations(person_ids=[ana.pk, bo.pk], by=hr)

    assert sent == [bo]
    assert Invitation.objects.get(person=ana).times == 1


def test_sending_again_in_bulk_reaches_only_people_invited_who_have_not_come_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = hr_admin()
    ana, bo, _cy = imported("Ana", "Bo", "Cy")
    for person in (ana, bo):
        invite(person, hr, django_capture_on_commit_callbacks)
    Person.objects.filter(pk=bo.pk).update(password="pbkdf2_sha256$x", last_login=NOON)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_people(by=hr, state="invited")

    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


def test_an_hr_partner_s_bulk_invitation_stays_inside_their_departments(
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = DepartmentFactory()
    partner = hr_partner([mine])
    PersonFactory(password=None, department=mine, email="mine@example.com")
    PersonFactory(password=None, email="theirs@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite_people(by=partner) == 1

    assert [m.to for m in mail.outbox] == [["mine@example.com"]]


# --- "Forgot your password?" ----------------------------------------------------------------


def ask_for_reset(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/password-reset/", {"email": email})


def test_forgot_password_sends_someone_without_a_password_an_invitation(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    (ana,) = imported("Ana")

    response = ask_for_reset(client, "ANA@example.com", django_capture_on_commit_callbacks)

    assert response["Location"] == "/password-reset/sent/"
    (message,) = mail.outbox
    assert message.subject.startswith("Choose your password for Tandem")
    assert "You have not chosen a password yet" in message.body
    assert Invitation.objects.get(person=ana).via == InvitationVia.SELF
    assert accept(client, message.body).status_code == 302


def test_forgot_password_answers_the_same_for_an_imported_person_and_a_stranger(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    imported("Ana")

    known = ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@example.com", django_capture_on_commit_callbacks)

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_forgot_password_never_invites_a_leaver(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    PersonFactory(password=None, email="gone@example.com", status=PersonStatus.LEFT)

    ask_for_reset(client, "gone@example.com", django_capture_on_commit_callbacks)

    assert not mail.outbox


def test_the_reset_throttle_counts_invitations_too(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    imported("Ana")

    answers = [
        ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks).status_code
        for _ in range(3)
    ]

    assert answers == [302, 302, 429] and len(mail.outbox) == 2


# --- The HR pages -----------------------------------------------------------------------------


def test_the_people_list_says_who_was_invited_and_who_has_signed_in(client_for: Any) -> None:
    hr = hr_admin(last_name="Zed")
    ana, bo, _cy = imported("Ana", "Bo", "Cy")
    Invitation.objects.create(person=ana)
    Person.objects.filter(pk=bo.pk).update(last_login=NOON)

    page = client_for(hr).get(reverse("org:hr_people")).text

    assert page.count(">Invited<") == 1
    assert page.count(">Not invited<") == 1
    assert page.count(">Signed in<") == 2  # Bo, and HR who just signed in


def test_the_people_list_says_when_an_invitation_expired(client_for: Any, settings: Any) -> None:
    settings.INVITATION_TIMEOUT = 24 * 3600
    (ana,) = imported("Ana")
    Invitation.objects.create(person=ana, sent_at=timezone.now() - timedelta(days=2))

    page = client_for(hr_admin()).get(reverse("org:hr_people"), {"sign_in": "invited"}).text

    assert ">Invitation expired<" in page
    assert "Send again to the 1 person" in page


def test_the_not_invited_filter_offers_to_invite_everyone_it_shows(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hr = hr_admin()
    client = client_for(hr)
    ana, _bo = imported("Ana", "Bo")
    Invitation.objects.create(person=ana)

    page = client.get(reverse("org:hr_people"), {"sign_in": "not_invited"}).text
    assert "Invite the 1 person" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:hr_people_invite"),
            {"sign_in": "not_invited", "back": "/hr/people/?sign_in=not_invited"},
        )

    assert response["Location"] == "/hr/people/?sign_in=not_invited"
    assert [m.to for m in mail.outbox] == [["bo@example.com"]]


def test_hr_invites_one_person_from_the_list(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(hr_admin())
    (ana,) = imported("Ana")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:hr_person_invite", args=[ana.pk]), {"back": "/hr/people/"}
        )

    assert response["Location"] == "/hr/people/"
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


def test_the_person_page_offers_to_send_the_invitation_again(client_for: Any) -> None:
    (ana,) = imported("Ana")
    Invitation.objects.create(person=ana)

    page = client_for(hr_admin()).get(reverse("org:hr_person_edit", args=[ana.pk])).text

    assert "Send the invitation again" in page


def test_a_second_invitation_without_send_again_is_refused_on_the_page(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(hr_admin())
    (ana,) = imported("Ana")
    Invitation.objects.create(person=ana)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:hr_person_invite", args=[ana.pk]), follow=True)

    assert "Not sent:" in response.text and "already invited" in response.text
    assert not mail.outbox


def test_a_link_back_to_another_site_is_ignored(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(hr_admin())
    (ana,) = imported("Ana")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:hr_person_invite", args=[ana.pk]), {"back": "//evil.example/"}
        )

    assert response["Location"] == reverse("org:hr_person_edit", args=[ana.pk])


def test_the_import_result_offers_to_invite_the_new_people(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(hr_admin())
    client.post(
        "/hr/import/",
        {"action": "upload", "file": SimpleUploadedFile("people.csv", csv_bytes(TEAM))},
    )
    batch = ImportBatch.objects.get()
    result = client.post("/hr/import/", {"action": "confirm", "batch": batch.pk}, follow=True)

    assert "Invite the 4 new people" in result.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:hr_people_invite"), {"sign_in": "not_invited", "status": "all"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Person.objects.filter(password__startswith=UNUSABLE_PASSWORD_PREFIX).values_list(
            "email", flat=True
        )
    )
    assert len(mail.outbox) == 4
