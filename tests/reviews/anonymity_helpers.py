"""A manager reviewed by their reports (upward reviews) in a running cycle, and helpers to
submit, close the phase and release, for the anonymity tests (docs/anonymity.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from tandem.org.models import Person
from tandem.program.models import Program
from tandem.reviews.models import Cycle, Participant, PhaseKind, Relationship, Review
from tandem.reviews.services.anonymous import release_groups
from tandem.reviews.services.writing import submit
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.reviews.factories import add_review, close_phase, participant_of, running_cycle
from tests.reviews.writing_helpers import full_answers

RELATIONSHIPS = (Relationship.SELF, Relationship.MANAGER, Relationship.PEER, Relationship.UPWARD)


@dataclass
class Upward:
    """boss → manager (reviewed) → reports (each writes an upward review of the manager)."""

    cycle: Cycle
    boss: Person
    manager: Person
    reports: list[Person]
    admin: Person
    partner: Person
    participant: Participant

    def review_by(self, report: Person) -> Review:
        return Review.objects.get(
            participant=self.participant, reviewer=report, relationship=Relationship.UPWARD
        )

    def write(self, report: Person, text: str | None = None) -> Review:
        review = self.review_by(report)
        words = text or f"UPWARD-ANSWER-{report.pk}"
        submit(review, answers=full_answers(review, text=words), version=0, by=report)
        return review

    def close_and_release(self) -> int:
        close_phase(self.cycle, PhaseKind.PEER)
        return release_groups(timezone.localdate())

    def share(self) -> None:
        Participant.objects.filter(pk=self.participant.pk).update(shared_at=timezone.now())
        self.participant.refresh_from_db()


def set_minimum(minimum: int) -> Program:
    program = Program.load()
    program.anonymity_minimum = minimum
    program.save()
    return program


def upward_team(reports: int = 5, **cycle_fields: Any) -> Upward:
    department = DepartmentFactory()
    boss = PersonFactory(department=department)
    manager = PersonFactory(
        first_name="Mira", last_name="Manager", manager=boss, department=department
    )
    team = [PersonFactory(manager=manager, department=department) for _ in range(reports)]
    cycle = running_cycle([manager, *team], relationships=RELATIONSHIPS, **cycle_fields)
    participant = participant_of(cycle, manager)
    for report in team:
        add_review(participant, report, Relationship.UPWARD)
    participant.refresh_from_db()
    return Upward(
        cycle=cycle,
        boss=boss,
        manager=manager,
        reports=team,
        admin=hr_admin(),
        partner=hr_partner([department]),
        participant=participant,
    )


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def page_text(client: Client, url: str) -> str:
    """A page's HTML with the CSRF tokens (new on every response) blanked out."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return CSRF.sub(r"\1", response.content.decode())
