"""A small team in a running cycle, and helpers to call the reviews API as one of them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from tandem.org.models import Department, Person
from tandem.reviews.models import Cycle, NominationStatus, Participant, Relationship, Review
from tests.factories import DepartmentFactory, PersonFactory, api_token, hr_admin, hr_partner
from tests.reviews.factories import nominate, participant_of, review_of, running_cycle

BASE = "/api/v1/reviews"


@dataclass
class Team:
    """boss → manager → (report, peer); boss → outsider manager → outsider. The report is
    reviewed by themselves, their manager and the peer (approved nomination)."""

    department: Department
    boss: Person
    manager: Person
    report: Person
    peer: Person
    outsider_manager: Person
    outsider: Person
    admin: Person
    partner: Person
    cycle: Cycle

    @property
    def participant(self) -> Participant:
        return participant_of(self.cycle, self.report)

    def review(self, relationship: str, reviewer: Person | None = None) -> Review:
        return review_of(self.cycle, self.report, relationship, reviewer)


def make_team(**cycle_fields: Any) -> Team:
    department = DepartmentFactory(name="Platform")
    elsewhere = DepartmentFactory(name="Sales")
    boss = PersonFactory(department=department, last_name="Boss")
    manager = PersonFactory(manager=boss, department=department, last_name="Manager")
    report = PersonFactory(manager=manager, department=department, last_name="Report")
    peer = PersonFactory(manager=manager, department=department, last_name="Peer")
    outsider_manager = PersonFactory(manager=boss, department=elsewhere, last_name="Outman")
    outsider = PersonFactory(manager=outsider_manager, department=elsewhere, last_name="Outsider")
    cycle = running_cycle([report, peer, outsider], **cycle_fields)
    nominate(participant_of(cycle, report), peer, status=NominationStatus.APPROVED)
    return Team(
        department=department,
        boss=boss,
        manager=manager,
        report=report,
        peer=peer,
        outsider_manager=outsider_manager,
        outsider=outsider,
        admin=hr_admin(),
        partner=hr_partner([department]),
        cycle=cycle,
    )


def bearer(person: Person) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token(person)}"})


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def error_fields(response: Any) -> list[Any]:
    return [error["loc"][-1] for error in response.json()["errors"]]


__all__ = ["BASE", "Relationship", "Team", "bearer", "error_fields", "make_team", "send"]
