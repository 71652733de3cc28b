"""Who sees which sessions and rows (the rules and scopes, below the pages)."""

from __future__ import annotations

import pytest

from tandem.access.models import Role
from tandem.access.rules import can, scope
from tandem.calibration.models import Entry, Session
from tests.calibration.helpers import make_company, session_of_all
from tests.factories import PersonFactory, executive, grant, hr_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def session(company):
    return session_of_all(company)


def _seen(user, session) -> set[str]:
    rows = scope(user, Entry.objects.filter(session=session)).select_related("participant__person")
    return {row.participant.person.first_name for row in rows}


def test_hr_admins_see_every_row(company, session):
    assert _seen(company.hr, session) == {"Ada", "Abe", "Bea", "Bo"}


def test_facilitators_see_every_row_of_their_session(company, session):
    assert _seen(company.facilitator, session) == {"Ada", "Abe", "Bea", "Bo"}


def test_a_participating_manager_sees_only_their_own_reports(company, session):
    assert _seen(company.lead_a, session) == {"Ada", "Abe"}


def test_a_manager_who_does_not_take_part_sees_nothing(company):
    session = session_of_all(company, manager_ids=[company.lead_a.pk])
    assert _seen(company.lead_b, session) == set()
    assert not can(company.lead_b, "calibration.session.view", session)


def test_the_skip_level_manager_taking_part_sees_the_whole_subtree(company):
    session = session_of_all(company, manager_ids=[company.boss.pk])
    assert _seen(company.boss, session) == {"Ada", "Abe", "Bea", "Bo"}


@pytest.mark.parametrize("make", ["employee", "partner", "executive", "analyst"])
def test_nobody_else_sees_the_session(company, session, make):
    people = {
        "employee": lambda: company.people["ada"],
        "partner": lambda: hr_partner([company.platform.parent]),
        "executive": lambda: executive(),
        "analyst": lambda: grant(PersonFactory(), Role.PEOPLE_ANALYTICS),
    }
    user = people[make]()
    assert not scope(user, Session.objects.all()).exists()
    assert _seen(user, session) == set()
    assert not can(user, "calibration.session.view", session)


def test_only_hr_admins_and_facilitators_decide(company, session):
    assert can(company.hr, "calibration.session.decide", session)
    assert can(company.facilitator, "calibration.session.decide", session)
    assert not can(company.lead_a, "calibration.session.decide", session)
