"""Every write made through a service records who, what, which object, the changes
(old → new), when and from which address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from tandem.access import services as access_services
from tandem.access.models import Role
from tandem.audit.context import origin
from tandem.audit.models import AuditEvent
from tandem.core.middleware import RequestContextMiddleware
from tandem.org.services import people as org_services
from tandem.program import services as program_services
from tests.factories import PROGRAM_FORM_SWITCHES, DepartmentFactory, PersonFactory, hr_admin

ADDRESS = "203.0.113.7"


def test_update_person_from_a_request_records_the_remote_address():
    admin = hr_admin()
    ana = PersonFactory(title="Engineer")

    def view(request: HttpRequest) -> HttpResponse:
        org_services.update_person(person=ana, by=request.user, title="Senior Engineer")
        return HttpResponse("ok")

    request = RequestFactory().post("/hr/people/1/edit/", REMOTE_ADDR=ADDRESS)
    request.user = admin
    before = timezone.now()
    RequestContextMiddleware(view)(request)

    event = AuditEvent.objects.get(kind="person.update")
    assert event.ip_address == ADDRESS
    assert event.actor == admin
    assert event.actor_label == f"{admin} <{admin.email}>"
    assert event.object_type == "org.person"
    assert event.object_id == str(ana.pk)
    assert event.object_label == str(ana)
    assert event.subject == ana
    assert event.changes == {"title": ["Engineer", "Senior Engineer"]}
    assert before <= event.at <= timezone.now()


def test_a_forged_forwarded_for_header_does_not_reach_the_audit_trail(client_for):
    admin = hr_admin()
    client_for(admin).post(
        "/program/edit/",
        {
            "purposes": ["growth"],
            "purpose_statement": "",
            "anonymity_minimum": 6,
            **PROGRAM_FORM_SWITCHES,
        },
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR="192.0.2.250",
    )
    assert AuditEvent.objects.get(kind="program.update").ip_address == ADDRESS


def _writes() -> list[tuple[str, Callable[[Any], Any]]]:
    """(kind, a call making that write as `by`) for every service write we have."""

    def person(by: Any) -> Any:
        return org_services.create_person(
            by=by, email="new@example.com", first_name="New", last_name="Person"
        )

    def department(by: Any) -> Any:
        return org_services.create_department(name="Research", by=by)

    def token(by: Any) -> Any:
        owner = PersonFactory()
        return access_services.create_token(person=owner, name="Sync", by=owner)[0]

    return [
        ("person.create", person),
        (
            "person.update",
            lambda by: org_services.update_person(
                person=PersonFactory(title="A"), by=by, title="B"
            ),
        ),
        (
            "person.manager_change",
            lambda by: org_services.change_manager(
                person=PersonFactory(), manager=PersonFactory(), by=by
            ),
        ),
        (
            "person.status_change",
            lambda by: org_services.change_status(person=PersonFactory(), status="on_leave", by=by),
        ),
        ("department.create", department),
        (
            "department.update",
            lambda by: org_services.update_department(
                department=DepartmentFactory(name="Old name"), by=by, name="New name"
            ),
        ),
        (
            "department.delete",
            lambda by: org_services.delete_department(department=DepartmentFactory(), by=by),
        ),
        ("company.update", lambda by: org_services.update_company(by=by, mission="Ship it")),
        (
            "company.values",
            lambda by: org_services.set_company_values(by=by, values=[("Candour", "Say it")]),
        ),
        (
            "role.grant",
            lambda by: access_services.grant_role(
                person=PersonFactory(), role=Role.EXECUTIVE, by=by
            ),
        ),
        (
            "role.revoke",
            lambda by: access_services.revoke_role(
                person=access_services.grant_role(
                    person=PersonFactory(), role=Role.EXECUTIVE, by=by
                ).person,
                role=Role.EXECUTIVE,
                by=by,
            ),
        ),
        ("token.create", lambda by: token(by)),
        (
            "token.revoke",
            lambda by: access_services.revoke_token(
                token=access_services.create_token(person=by, name="Mine", by=by)[0],
                by=by,
            ),
        ),
        (
            "program.update",
            lambda by: program_services.update_program(by=by, anonymity_minimum=7),
        ),
    ]


@pytest.mark.parametrize(("kind", "write"), _writes(), ids=[k for k, _ in _writes()])
def test_every_service_write_records_who_what_which_when_and_where(kind, write):
    admin = hr_admin()
    started = timezone.now()
    with origin(ADDRESS, "web"):
        write(admin)
    event = AuditEvent.objects.filter(kind=kind).order_by("-pk").first()
    assert event is not None, f"{kind} wrote no audit event"
    assert event.ip_address == ADDRESS
    assert event.actor_label  # who, even when the actor row is gone one day
    assert event.object_type  # which kind of object
    assert event.object_label or event.object_id  # which object
    assert started - timedelta(seconds=1) <= event.at <= timezone.now()
    if kind not in ("token.create",):  # the token's owner creates it, not the admin
        assert event.actor == admin


def test_changes_are_recorded_as_old_and_new():
    admin = hr_admin()
    program_services.update_program(by=admin, anonymity_minimum=8, purposes=["growth", "pay"])
    event = AuditEvent.objects.get(kind="program.update")
    assert event.changes["anonymity_minimum"] == [5, 8]
    assert event.changes["purposes"][1] == ["growth", "pay"]


def test_a_write_that_changes_nothing_records_nothing():
    admin = hr_admin()
    ana = PersonFactory(title="Engineer")
    org_services.update_person(person=ana, by=admin, title="Engineer")
    assert not AuditEvent.objects.filter(kind="person.update").exists()
