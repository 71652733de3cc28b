"""Creating calibration sessions: who they discuss, who takes part, what is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.calibration import services
from tandem.calibration.models import Entry, ScopeKind, Session
from tandem.reviews.models import CalibrationState, CycleStatus, Participant
from tests.calibration.helpers import make_company, session_of_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_company()


def _people_of(session: Session) -> set[int]:
    return set(session.entries.values_list("participant__person_id", flat=True))


def test_a_manager_scope_discusses_everyone_under_the_manager(company):
    session = session_of_all(company)
    assert _people_of(session) == {p.pk for p in company.people.values()}


def test_entries_start_at_the_managers_rating(company):
    session = session_of_all(company)
    entry = session.entries.get(participant__person=company.people["bea"])
    assert entry.rating == 5
    assert entry.potential is None


def test_a_department_scope_includes_its_sub_departments_only(company):
    engineering = company.platform.parent
    session = services.create_session(
        company.hr,
        company.cycle,
        name="Engineering",
        scope_kind=ScopeKind.DEPARTMENT,
        department=engineering,
        facilitator_ids=[company.facilitator.pk],
    )
    assert _people_of(session) == {company.people["ada"].pk, company.people["abe"].pk}


def test_a_level_scope_takes_that_level(company):
    session = services.create_session(
        company.hr,
        company.cycle,
        name="Level three",
        scope_kind=ScopeKind.LEVEL,
        level="L3",
        facilitator_ids=[company.facilitator.pk],
    )
    assert _people_of(session) == {company.people["ada"].pk, company.people["bea"].pk}


def test_a_manual_scope_takes_the_participants_picked(company):
    session = services.create_session(
        company.hr,
        company.cycle,
        name="Picked",
        scope_kind=ScopeKind.MANUAL,
        participant_ids=[company.participant("bo").pk],
        facilitator_ids=[company.facilitator.pk],
    )
    assert _people_of(session) == {company.people["bo"].pk}


def test_the_managers_default_to_the_managers_of_the_people_discussed(company):
    session = session_of_all(company)
    assert set(session.managers.values_list("pk", flat=True)) == {
        company.lead_a.pk,
        company.lead_b.pk,
    }


def test_managers_given_replace_the_default(company):
    session = session_of_all(company, manager_ids=[company.lead_a.pk])
    assert list(session.managers.values_list("pk", flat=True)) == [company.lead_a.pk]


def test_people_already_in_a_session_are_left_out_of_the_next(company):
    services.create_session(
        company.hr,
        company.cycle,
        name="Level three",
        scope_kind=ScopeKind.LEVEL,
        level="L3",
        facilitator_ids=[company.facilitator.pk],
    )
    second = session_of_all(company)
    assert _people_of(second) == {company.people["abe"].pk, company.people["bo"].pk}


def test_picking_someone_already_in_a_session_is_refused_by_name(company):
    session_of_all(company)
    with pytest.raises(ValidationError) as caught:
        services.create_session(
            company.hr,
            company.cycle,
            name="Again",
            scope_kind=ScopeKind.MANUAL,
            participant_ids=[company.participant("bo").pk],
            facilitator_ids=[company.facilitator.pk],
        )
    assert "Ystradgyn" in caught.value.message_dict["participant_ids"][0]
    assert Session.objects.count() == 1


def test_creating_marks_the_reviews_as_in_calibration(company):
    session_of_all(company)
    assert company.participant("ada").calibration_state == CalibrationState.OPEN


def test_creating_is_audited(company):
    session = session_of_all(company)
    assert AuditEvent.objects.filter(kind="calibration.session.create", object_id=str(session.pk))


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"name": "  "}, "name"),
        ({"scope_kind": "planet"}, "scope_kind"),
        ({"scope_kind": ScopeKind.DEPARTMENT, "manager": None}, "department"),
        ({"scope_kind": ScopeKind.LEVEL, "manager": None}, "level"),
        ({"scope_kind": ScopeKind.MANUAL, "manager": None}, "participant_ids"),
        ({"scope_kind": ScopeKind.MANUAL, "participant_ids": [999999]}, "participant_ids"),
        ({"facilitator_ids": []}, "facilitator_ids"),
        ({"facilitator_ids": [999999]}, "facilitator_ids"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(company, more, field):
    with pytest.raises(ValidationError) as caught:
        session_of_all(company, **more)
    assert field in caught.value.message_dict
    assert not Session.objects.exists()
    assert not Entry.objects.exists()
    assert not Participant.objects.filter(calibration_state=CalibrationState.OPEN).exists()


def test_a_name_used_in_the_cycle_is_refused(company):
    session_of_all(company, name="Same")
    with pytest.raises(ValidationError) as caught:
        session_of_all(company, name="Same")
    assert "name" in caught.value.message_dict


def test_a_cycle_not_launched_is_refused(company):
    company.cycle.status = CycleStatus.DRAFT
    company.cycle.save()
    with pytest.raises(ValidationError) as caught:
        session_of_all(company)
    assert "cycle" in caught.value.message_dict


def test_an_imported_cycle_is_refused_and_nothing_is_saved(company):
    company.cycle.imported_at = company.cycle.launched_at
    company.cycle.save()
    with pytest.raises(ValidationError) as caught:
        session_of_all(company)
    assert "imported" in caught.value.message_dict["cycle"][0]
    assert not Session.objects.exists()


def test_only_hr_admins_create_sessions(company):
    with pytest.raises(NotAllowed):
        services.create_session(
            company.facilitator,
            company.cycle,
            name="Mine",
            scope_kind=ScopeKind.MANAGER,
            manager=company.boss,
            facilitator_ids=[company.facilitator.pk],
        )


def test_adding_people_puts_them_in_and_their_manager_takes_part(company):
    session = services.create_session(
        company.hr,
        company.cycle,
        name="Platform",
        scope_kind=ScopeKind.DEPARTMENT,
        department=company.platform,
        facilitator_ids=[company.facilitator.pk],
    )
    services.add_people(company.hr, session, [company.participant("bo").pk])
    assert company.people["bo"].pk in _people_of(session)
    assert session.managers.filter(pk=company.lead_b.pk).exists()
    assert company.participant("bo").calibration_state == CalibrationState.OPEN


def test_removing_someone_releases_their_review(company):
    session = session_of_all(company)
    entry = session.entries.get(participant__person=company.people["ada"])
    services.remove_entry(company.hr, entry)
    assert company.people["ada"].pk not in _people_of(session)
    assert company.participant("ada").calibration_state == CalibrationState.NONE
