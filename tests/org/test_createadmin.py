"""`tandem createadmin EMAIL`: the way into an empty installation."""

from __future__ import annotations

from io import StringIO
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.access.models import Role, RoleGrant
from tandem.audit.models import AuditEvent
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def sign_in_link(output: str) -> str:
    return next(line.strip() for line in output.splitlines() if "/welcome/" in line)


def test_it_creates_the_first_hr_admin_of_an_empty_installation() -> None:
    output = run("ada@example.com", "--first-name", "Ada", "--last-name", "Byron", "--link")

    person = Person.objects.get(email="ada@example.com")
    assert RoleGrant.objects.filter(person=person, role=Role.HR_ADMIN).exists()
    assert "Created Ada Byron" in output
    assert AuditEvent.objects.filter(kind="role.grant", subject_id=person.pk).exists()


def test_it_makes_an_existing_person_an_hr_admin_without_creating_anyone() -> None:
    person = PersonFactory(email="rui@example.com")

    output = run("RUI@example.com", "--link")

    assert Person.objects.count() == 1
    assert RoleGrant.objects.filter(person=person, role=Role.HR_ADMIN).exists()
    assert "Found" in output


def test_the_printed_link_lets_them_choose_a_password_and_sign_in() -> None:
    link = sign_in_link(run("ada@example.com", "--link"))
    client = Client()

    page = client.get(urlsplit(link).path, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a long new password 7", "new_password2": "a long new password 7"},
    )

    signed_in = Client().post(
        "/login/", {"username": "ada@example.com", "password": "a long new password 7"}
    )
    assert signed_in.status_code == 302


def test_the_printed_link_says_how_long_it_works(settings: Any) -> None:
    settings.INVITATION_TIMEOUT = 3 * 24 * 3600

    assert "it works for 3 days" in run("ada@example.com", "--link")


def test_it_refuses_someone_who_has_left() -> None:
    PersonFactory(email="gone@example.com", status=PersonStatus.LEFT)

    with pytest.raises(CommandError, match="has left"):
        run("gone@example.com", "--link")
    assert not RoleGrant.objects.exists()


def test_it_asks_for_a_password_twice_and_checks_it() -> None:
    answers = iter(["short", "short", "a long new password 7", "a long new password 7"])
    with mock.patch("getpass.getpass", side_effect=lambda prompt: next(answers)):
        output = run("ada@example.com", "--password")

    assert "Password set" in output
    assert Person.objects.get(email="ada@example.com").check_password("a long new password 7")


def test_createsuperuser_points_to_createadmin() -> None:
    with pytest.raises(NotImplementedError, match="tandem createadmin"):
        Person.objects.create_superuser("x@example.com", "pw")
