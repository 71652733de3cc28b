"""A small company in a running cycle, ready to calibrate: two teams under one boss, in two
departments, each manager's overall ratings submitted (a five-point scale)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tandem.calibration import services
from tandem.calibration.models import ScopeKind, Session
from tandem.org.models import Department, Person
from tandem.reviews.models import Cycle, Participant, Relationship
from tandem.reviews.services.writing import submit
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.reviews.factories import participant_of, review_of, running_cycle
from tests.reviews.writing_helpers import full_answers


@dataclass
class Company:
    cycle: Cycle
    hr: Person
    boss: Person
    facilitator: Person
    platform: Department
    sales: Department
    lead_a: Person  # manages Ada and Abe in Platform
    lead_b: Person  # manages Bea and Bo in Sales
    people: dict[str, Person] = field(default_factory=dict)

    def participant(self, key: str) -> Participant:
        return participant_of(self.cycle, self.people[key])


RATINGS = {"ada": 4, "abe": 2, "bea": 5, "bo": 3}


def make_company(*, rated: bool = True, **cycle_fields: Any) -> Company:
    engineering = DepartmentFactory(name="Calib Engineering")
    platform = DepartmentFactory(name="Calib Platform", parent=engineering)
    sales = DepartmentFactory(name="Calib Sales")
    boss = PersonFactory(first_name="Bram", last_name="Bossworth", department=engineering)
    lead_a = PersonFactory(
        first_name="Lena", last_name="Leadwell", manager=boss, department=platform
    )
    lead_b = PersonFactory(first_name="Lars", last_name="Leadmore", manager=boss, department=sales)
    people = {
        "ada": PersonFactory(
            first_name="Ada", last_name="Zephyrine", manager=lead_a, department=platform, level="L3"
        ),
        "abe": PersonFactory(
            first_name="Abe", last_name="Quintavo", manager=lead_a, department=platform, level="L2"
        ),
        "bea": PersonFactory(
            first_name="Bea", last_name="Wexholm", manager=lead_b, department=sales, level="L3"
        ),
        "bo": PersonFactory(
            first_name="Bo", last_name="Ystradgyn", manager=lead_b, department=sales, level="L2"
        ),
    }
    cycle = running_cycle(
        people.values(), relationships=(Relationship.SELF, Relationship.MANAGER), **cycle_fields
    )
    company = Company(
        cycle=cycle,
        hr=hr_admin(first_name="Hedda", last_name="Humanres"),
        boss=boss,
        facilitator=PersonFactory(first_name="Fay", last_name="Facilitano"),
        platform=platform,
        sales=sales,
        lead_a=lead_a,
        lead_b=lead_b,
        people=people,
    )
    if rated:
        for key, rating in RATINGS.items():
            rate(company, key, rating)
    return company


def rate(company: Company, key: str, rating: int) -> None:
    review = review_of(company.cycle, company.people[key], Relationship.MANAGER)
    submit(review, answers=full_answers(review, rating=rating), version=0, by=review.reviewer)


def session_of_all(company: Company, name: str = "Everyone", **more: Any) -> Session:
    """A session discussing the boss's whole organisation, led by the facilitator."""
    arguments: dict[str, Any] = {
        "name": name,
        "scope_kind": ScopeKind.MANAGER,
        "manager": company.boss,
        "facilitator_ids": [company.facilitator.pk],
    }
    arguments.update(more)
    return services.create_session(company.hr, company.cycle, **arguments)
