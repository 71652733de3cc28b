"""Who sees a nomination or a participant: the scopes look the reader's rows up by id when
they are few and filter row by row when they are many; both ways give the same rows."""

from __future__ import annotations

import pytest

from tandem.access.rules import scope
from tandem.org.models import Department, Person
from tandem.reviews import rules
from tandem.reviews.models import Nomination, NominationStatus, Participant
from tandem.reviews.queries.nominations import pending_approvals
from tests.factories import PersonFactory, hr_partner
from tests.reviews.factories import nominate, participant_of, running_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    sales = Department.objects.create(name="Sales", path="/s/")
    boss = PersonFactory()
    manager = PersonFactory(manager=boss)
    report = PersonFactory(manager=manager, department=sales)
    peer = PersonFactory(manager=manager)
    other_manager = PersonFactory(manager=boss)
    moved = PersonFactory(manager=manager)
    outsider = PersonFactory(manager=other_manager)
    cycle = running_cycle([report, peer, moved, outsider])
    nominate(participant_of(cycle, report), peer, status=NominationStatus.APPROVED)
    nominate(participant_of(cycle, peer), report)
    nominate(participant_of(cycle, moved), outsider)
    nominate(participant_of(cycle, outsider), boss)
    # `moved` now reports to the other manager: under them now, under `manager` at launch.
    Person.objects.filter(pk=moved.pk).update(path=f"{other_manager.path}{moved.pk}/")
    return {
        "boss": boss,
        "manager": manager,
        "report": report,
        "peer": peer,
        "other_manager": other_manager,
        "moved": moved,
        "outsider": outsider,
        "partner": hr_partner([sales]),
        "stranger": PersonFactory(),
    }


def _seen(person: Person, model: type = Nomination) -> set[int]:
    return set(scope(person, model.objects.all()).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "reader",
    ["boss", "manager", "report", "peer", "other_manager", "moved", "outsider", "partner"],
)
@pytest.mark.parametrize("model", [Nomination, Participant])
def test_looking_up_by_id_sees_what_filtering_row_by_row_sees(company, reader, model, monkeypatch):
    person = Person.objects.get(pk=company[reader].pk)
    by_id = _seen(person, model)
    monkeypatch.setattr(rules, "BY_ID_LIMIT", 0)
    assert by_id == _seen(person, model)
    assert by_id


def test_a_manager_sees_the_nominations_below_them_at_launch_and_now(company):
    seen = _seen(company["other_manager"])
    assert {n.participant.person for n in Nomination.objects.filter(pk__in=seen)} == {
        company["moved"],
        company["outsider"],
    }


def test_someone_outside_every_nomination_sees_none(company):
    assert _seen(company["stranger"]) == set()


def test_a_reader_with_more_nominations_than_the_limit_still_sees_them_all(company, monkeypatch):
    monkeypatch.setattr(rules, "BY_ID_LIMIT", 1)
    assert len(_seen(company["boss"])) == 4


def test_a_manager_follows_the_participants_below_them_at_launch_and_now(company):
    seen = _seen(company["other_manager"], Participant)
    assert {p.person for p in Participant.objects.filter(pk__in=seen)} == {
        company["moved"],
        company["outsider"],
    }


def test_someone_outside_every_cycle_follows_no_participant(company):
    assert _seen(company["stranger"], Participant) == set()


def _waiting(person: Person) -> set[Person]:
    rows, total = pending_approvals(person)
    assert total == len(rows)
    return {row.participant.person for row in rows}


def test_approvals_list_people_waiting_below_the_manager_at_launch(company):
    assert _waiting(company["manager"]) == {company["peer"], company["moved"]}


def test_approvals_list_people_waiting_below_the_manager_now(company):
    assert _waiting(company["other_manager"]) == {company["moved"], company["outsider"]}


def test_approvals_leave_out_the_manager_themselves_and_people_elsewhere(company):
    assert _waiting(company["report"]) == set()
    assert _waiting(company["boss"]) == {company["peer"], company["moved"], company["outsider"]}


@pytest.mark.parametrize("limit", [0, 1000])
@pytest.mark.parametrize("reader", ["boss", "manager", "partner", "moved"])
def test_one_cycles_nominations_are_the_same_read_with_the_cycle_given(
    company, reader, limit, monkeypatch
):
    monkeypatch.setattr(rules, "BY_ID_LIMIT", limit)
    person = Person.objects.get(pk=company[reader].pk)
    cycle_id = Nomination.objects.values_list("cycle_id", flat=True).first()
    in_cycle = Nomination.objects.filter(cycle_id=cycle_id)
    assert set(scope(person, in_cycle, cycle_id=cycle_id)) == set(scope(person, in_cycle))
    assert set(scope(person, in_cycle))
