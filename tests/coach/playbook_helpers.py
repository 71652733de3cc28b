"""Shared pieces of the playbook tests: the shipped playbooks, clients, and people."""

from __future__ import annotations

from datetime import date

from django.test import Client

from tandem.coach.models import Playbook
from tandem.coach.services import playbooks as services
from tandem.org.models import Person
from tests.factories import PersonFactory

SBI = "giving-feedback-sbi"
FIRST = "running-a-first-one-on-one"
FAIR = "writing-a-fair-review"


def shipped() -> dict[str, Playbook]:
    services.load_shipped()
    return {p.slug: p for p in Playbook.objects.all()}


def client_of(person: Person | None) -> Client:
    c = Client()
    if person is not None:
        c.force_login(person)
    return c


def manager_since(day: date, **kwargs: object) -> Person:
    """A manager whose first (and only) report started reporting to them on `day`."""
    manager = PersonFactory(**kwargs)
    PersonFactory(manager=manager, start_date=day)
    return manager


def complete(person: Person, playbook: Playbook) -> None:
    for position in playbook.steps.values_list("position", flat=True):
        services.mark_step_done(playbook=playbook, position=position, by=person)
    right = {q.position: q.answer for q in playbook.questions.all()}
    services.answer_quiz(playbook=playbook, answers=right, by=person)
