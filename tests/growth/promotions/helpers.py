"""A small team for promotion tests: a skip-level manager, a manager and a report placed on
IC2 of a four-level track, an HR admin and a committee member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.growth.models import Level
from tandem.org.models import Person
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_promotions import ladder, place


@dataclass
class Team:
    skip: Person
    manager: Person
    report: Person
    hr: Person
    member: Person
    outsider: Person
    levels: list[Level]


def team() -> Team:
    skip = PersonFactory.create(first_name="Sam", last_name="Skip")
    manager = PersonFactory.create(first_name="Mia", last_name="Manager", manager=skip)
    report = PersonFactory.create(
        first_name="Ravi", last_name="Report", manager=manager, start_date=date(2022, 3, 1)
    )
    levels = ladder(4)
    place(report, levels[1], since=date(2024, 2, 1))
    return Team(
        skip=skip,
        manager=manager,
        report=report,
        hr=hr_admin(first_name="Hana", last_name="Admin"),
        member=PersonFactory.create(first_name="Cleo", last_name="Committee"),
        outsider=PersonFactory.create(first_name="Eve", last_name="Outsider"),
        levels=levels,
    )
