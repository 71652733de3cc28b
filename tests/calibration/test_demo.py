"""The demo's calibration: a locked session in the finished cycle, with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tandem.calibration.models import AdjustedField, Adjustment, Entry, Session, SessionStatus
from tandem.reviews.models import CalibrationState, Cycle, CycleStatus, Participant
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=11, today=TODAY):
        yield


def test_the_finished_cycle_has_a_locked_session(loaded):
    session = Session.objects.get(name="Director's organisation")
    assert session.status == SessionStatus.LOCKED
    assert session.cycle == Cycle.objects.get(status=CycleStatus.CLOSED, imported_at=None)
    assert session.facilitators.filter(email__startswith="hr@").exists()
    assert session.entries.count() >= 4


def test_some_ratings_moved_with_reasons(loaded):
    moves = Adjustment.objects.filter(field=AdjustedField.RATING)
    assert moves.count() >= 2
    assert all(move.reason and move.old_value != move.new_value for move in moves)
    assert {m.new_value - m.old_value for m in moves} <= {-1, 1}


def test_the_ratings_of_record_are_the_sessions(loaded):
    for entry in Entry.objects.select_related("participant"):
        participant = entry.participant
        assert participant.calibration_state == CalibrationState.LOCKED
        assert participant.final_rating == entry.rating


def test_the_people_moved_carry_the_reason_and_where_they_came_from(loaded):
    moved = Participant.objects.exclude(calibrated_from=None)
    assert moved.exists()
    assert all(p.calibration_reason for p in moved)


def test_the_severely_rated_teams_come_up_a_point_with_the_reason(loaded):
    session = Session.objects.get(name="Severely rated teams")
    assert session.status == SessionStatus.LOCKED
    moves = Adjustment.objects.filter(entry__session=session, field=AdjustedField.RATING)
    assert moves.exists()
    assert all(m.new_value == m.old_value + 1 and "severely" in m.reason for m in moves)


def test_everyone_discussed_is_on_the_nine_box(loaded):
    assert not Entry.objects.filter(potential=None).exists()


def test_the_leniently_rated_teams_top_ratings_come_down_a_point_with_the_reason(loaded):
    session = Session.objects.get(name="Leniently rated teams")
    moves = Adjustment.objects.filter(entry__session=session, field=AdjustedField.RATING)
    assert moves.exists()
    assert all(m.new_value == m.old_value - 1 and "leniently" in m.reason for m in moves)
