"""Adjusting ratings and potential with reasons, the guideline, and locking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.calibration import services
from tandem.calibration.history import adjustments_of
from tandem.calibration.models import Adjustment, Entry, ReasonCategory, SessionStatus
from tandem.reviews.models import CalibrationState, Phase, PhaseKind
from tests.calibration.helpers import make_company, session_of_all

pytestmark = pytest.mark.django_db

WHY = "Shipped the billing migration alone; the team rating missed it."


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def session(company):
    return session_of_all(company)


def _entry(session, company, key: str) -> Entry:
    return session.entries.get(participant__person=company.people[key])


def test_a_facilitator_adjusts_a_rating_with_a_reason(company, session):
    entry = _entry(session, company, "abe")
    services.adjust(
        company.facilitator, entry, rating=3, category=ReasonCategory.EVIDENCE, reason=WHY
    )
    entry.refresh_from_db()
    adjustment = Adjustment.objects.get(entry=entry)
    assert entry.rating == 3
    assert (adjustment.old_value, adjustment.new_value) == (2, 3)
    assert adjustment.made_by == company.facilitator
    assert adjustment.reason == WHY


def test_rating_and_potential_at_once_record_two_adjustments(company, session):
    entry = _entry(session, company, "abe")
    services.adjust(
        company.hr, entry, rating=3, potential=2, category=ReasonCategory.SCOPE, reason=WHY
    )
    assert sorted(Adjustment.objects.values_list("field", flat=True)) == ["potential", "rating"]


def test_an_adjustment_is_audited(company, session):
    services.adjust(
        company.hr,
        _entry(session, company, "abe"),
        rating=3,
        category=ReasonCategory.EVIDENCE,
        reason=WHY,
    )
    event = AuditEvent.objects.get(kind="calibration.adjust")
    assert event.changes["rating"] == [2, 3]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 3, "reason": ""}, "reason"),
        ({"rating": 3, "reason": "   "}, "reason"),
        ({"rating": 3, "category": ""}, "category"),
        ({"rating": 3, "category": "mood"}, "category"),
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "four"}, "rating"),
        ({"potential": 4}, "potential"),
        ({"potential": 0}, "potential"),
        ({}, "rating"),
        ({"rating": 2}, "rating"),  # where Abe already is
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(company, session, change, field):
    entry = _entry(session, company, "abe")
    arguments = {"category": ReasonCategory.EVIDENCE, "reason": WHY, **change}
    with pytest.raises(ValidationError) as caught:
        services.adjust(company.hr, entry, **arguments)
    assert field in caught.value.message_dict
    entry.refresh_from_db()
    assert (entry.rating, entry.potential) == (2, None)
    assert not Adjustment.objects.exists()
    assert not AuditEvent.objects.filter(kind="calibration.adjust").exists()


def test_a_participating_manager_cannot_adjust(company, session):
    with pytest.raises(NotAllowed):
        services.adjust(
            company.lead_a,
            _entry(session, company, "abe"),
            rating=3,
            category=ReasonCategory.EVIDENCE,
            reason=WHY,
        )
    assert not Adjustment.objects.exists()


def test_the_guideline_is_stored_when_it_adds_up_to_100(company, session):
    services.set_guideline(company.hr, session, {1: 5, 2: 20, 3: 50, 4: 20, 5: 5})
    session.refresh_from_db()
    assert session.guideline == {"1": 5, "2": 20, "3": 50, "4": 20, "5": 5}


def test_an_empty_guideline_clears_it(company, session):
    services.set_guideline(company.hr, session, {1: 50, 5: 50})
    services.set_guideline(company.hr, session, {})
    session.refresh_from_db()
    assert session.guideline == {}


@pytest.mark.parametrize(
    "guideline",
    [{1: 50, 2: 40}, {1: 150, 2: -50}, {9: 100}, {1: "half", 2: 50}],
)
def test_a_bad_guideline_is_refused(company, session, guideline):
    with pytest.raises(ValidationError) as caught:
        services.set_guideline(company.hr, session, guideline)
    assert "guideline" in caught.value.message_dict
    session.refresh_from_db()
    assert session.guideline == {}


def _locked(company, session):
    services.adjust(
        company.facilitator,
        _entry(session, company, "abe"),
        rating=3,
        category=ReasonCategory.CONSISTENCY,
        reason=WHY,
    )
    return services.lock(company.facilitator, session)


def test_locking_makes_the_session_ratings_final(company, session):
    _locked(company, session)
    abe = company.participant("abe")
    assert abe.calibration_state == CalibrationState.LOCKED
    assert (abe.final_rating, abe.final_rating_points, abe.calibrated_from) == (3, 5, 2)
    assert abe.calibration_reason == WHY


def test_locking_keeps_unchanged_ratings_as_they_were(company, session):
    _locked(company, session)
    bea = company.participant("bea")
    assert (bea.final_rating, bea.calibrated_from, bea.calibration_reason) == (5, None, "")


def test_locking_marks_the_session_locked_and_is_audited(company, session):
    _locked(company, session)
    session.refresh_from_db()
    assert session.status == SessionStatus.LOCKED
    assert session.locked_by == company.facilitator
    assert AuditEvent.objects.filter(kind="calibration.session.lock").exists()


def test_adjusting_after_the_lock_is_refused_and_saves_nothing(company, session):
    _locked(company, session)
    entry = _entry(session, company, "bo")
    with pytest.raises(ValidationError) as caught:
        services.adjust(company.hr, entry, rating=4, category=ReasonCategory.EVIDENCE, reason=WHY)
    assert "locked" in caught.value.message_dict["session"][0]
    entry.refresh_from_db()
    assert entry.rating == 3
    assert Adjustment.objects.count() == 1


def test_a_locked_session_cannot_be_locked_again_or_changed(company, session):
    _locked(company, session)
    for attempt in (
        lambda: services.lock(company.hr, session),
        lambda: services.set_guideline(company.hr, session, {}),
        lambda: services.remove_entry(company.hr, _entry(session, company, "bo")),
    ):
        with pytest.raises(ValidationError):
            attempt()


def test_locking_waits_for_every_rating(company):
    session = session_of_all(company)
    Entry.objects.filter(pk=_entry(session, company, "bo").pk).update(rating=None)
    with pytest.raises(ValidationError) as caught:
        services.lock(company.hr, session)
    assert "Ystradgyn" in caught.value.message_dict["session"][0]


def test_a_participating_manager_cannot_lock(company, session):
    with pytest.raises(NotAllowed):
        services.lock(company.lead_a, session)


def test_the_history_tells_hr_about_each_adjustment_and_the_lock(company, session):
    _locked(company, session)
    sentences = [text for _, text in adjustments_of(company.participant("abe").pk)]
    assert "from 2 to 3" in sentences[0]
    assert WHY in sentences[0]
    assert "locked" in sentences[-1]


def _calibration_phase(company, opens_in: int, due_in: int) -> None:
    today = timezone.localdate()
    Phase.objects.create(
        cycle=company.cycle,
        kind=PhaseKind.CALIBRATION,
        opens_on=today + timedelta(days=opens_in),
        due_on=today + timedelta(days=due_in),
    )


def test_adjusting_waits_for_a_dated_calibration_phase(company, session):
    _calibration_phase(company, 3, 10)
    with pytest.raises(ValidationError) as caught:
        services.adjust(
            company.hr,
            _entry(session, company, "abe"),
            rating=3,
            category=ReasonCategory.EVIDENCE,
            reason=WHY,
        )
    assert "calibration phase opens" in caught.value.message_dict["session"][0]
    assert not Adjustment.objects.exists()


def test_adjusting_stops_when_the_calibration_phase_closed(company, session):
    _calibration_phase(company, -10, -1)
    with pytest.raises(ValidationError) as caught:
        services.adjust(
            company.hr,
            _entry(session, company, "abe"),
            rating=3,
            category=ReasonCategory.EVIDENCE,
            reason=WHY,
        )
    assert "ask HR to extend it" in caught.value.message_dict["session"][0]


def test_adjusting_inside_the_calibration_phase_works(company, session):
    _calibration_phase(company, -1, 1)
    services.adjust(
        company.hr,
        _entry(session, company, "abe"),
        rating=3,
        category=ReasonCategory.EVIDENCE,
        reason=WHY,
    )
    assert Adjustment.objects.count() == 1


def test_the_reviews_history_shows_calibrations_entries(company, session):
    from tandem.reviews.history import participant_history

    _locked(company, session)
    sentences = [text for _, text in participant_history(company.participant("abe").pk)]
    assert any(WHY in text for text in sentences)
