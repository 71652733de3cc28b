"""The demo's calibration: a locked session in the finished cycle, with reasons."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.calibration.models import AdjustedField, Adjustment, Entry, Session, SessionStatus
from tandem.fairness import demo as fairness_demo
from tandem.fairness.queries import groups
from tandem.fairness.queries.groups import GroupFigures
from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews.models import CalibrationState, Cycle, CycleStatus, Participant
from tandem.reviews.queries import ratings

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture
def loaded() -> None:
    demo.load_demo(people=120, seed=11, today=TODAY)


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


# --- The demo's gender gap, before and after calibration (issue 14, item 7) ------------------


@pytest.fixture
def gender_figures() -> dict[str, dict[str, GroupFigures]]:
    """The default demo's gender figures per stage: {stage: {group: figures}}."""
    demo.load_demo(people=demo.DEFAULT_PEOPLE, seed=demo.DEFAULT_SEED, today=TODAY)
    analyst = Person.objects.get(email=fairness_demo.ANALYST)
    cycle = ratings.finished_cycles().first()
    found = groups.before_and_after(analyst, cycle, attribute=groups.attribute_by_key("gender"))
    return {stage: {g.group: g for g in figures.groups} for stage, figures in found.items()}


def _mean_gap(figures: dict[str, GroupFigures]) -> float:
    return (figures["Man"].mean_rating or 0) - (figures["Woman"].mean_rating or 0)


def test_calibration_narrows_the_demos_gap_in_mean_rating_between_men_and_women(gender_figures):
    before = _mean_gap(gender_figures[groups.Stage.RAW])
    after = _mean_gap(gender_figures[groups.Stage.CALIBRATED])

    assert before > 0.3
    assert 0 <= after < before / 2


def test_calibration_raises_womens_impact_ratio_in_the_demo(gender_figures):
    before = gender_figures[groups.Stage.RAW]["Woman"].impact_ratio
    after = gender_figures[groups.Stage.CALIBRATED]["Woman"].impact_ratio

    assert before is not None and before < groups.FOUR_FIFTHS
    assert after is not None and after > before
