from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.org.models import Person
from tandem.program.models import Program
from tests.api.conftest import bearer_for  # noqa: F401  (the API tests' token client)
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin


@dataclass
class Cast:
    """The people the visibility rules talk about: a giver (a peer in another team), the
    recipient, the recipient's manager, a peer of the recipient, an HR admin, an executive
    and an outsider."""

    giver: Person
    recipient: Person
    manager: Person
    peer: Person
    hr_admin: Person
    executive: Person
    outsider: Person

    def __getitem__(self, role: str) -> Person:
        return getattr(self, role)


ROLES = ("giver", "recipient", "manager", "peer", "hr_admin", "executive", "outsider")


@pytest.fixture
def cast(db: None) -> Cast:
    team = DepartmentFactory(name="Team")
    other = DepartmentFactory(name="Elsewhere")
    manager = PersonFactory(first_name="Mona", last_name="Manager", department=team)
    return Cast(
        giver=PersonFactory(first_name="Gil", last_name="Giver", department=other),
        recipient=PersonFactory(
            first_name="Rita", last_name="Recipient", department=team, manager=manager
        ),
        manager=manager,
        peer=PersonFactory(first_name="Pia", last_name="Peer", department=team, manager=manager),
        hr_admin=hr_admin(first_name="Hal", last_name="Hr"),
        executive=executive(first_name="Eda", last_name="Exec"),
        outsider=PersonFactory(first_name="Otto", last_name="Outsider", department=other),
    )


@pytest.fixture
def program(db: None) -> Program:
    return Program.load()
