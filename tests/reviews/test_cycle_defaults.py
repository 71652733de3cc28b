"""A new cycle's defaults come from the program, and the cycle says where it departs
(issue 16, item 5): `reviews.defaults` and `cycles.create_cycle_from_program`."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest

from tandem.program import presets
from tandem.program.models import Program, ReviewScore
from tandem.reviews import defaults
from tandem.reviews.models import Phase, PhaseKind, Relationship, ScoreMethod, UseFor
from tandem.reviews.services import cycles
from tandem.reviews.services.starter import create_starter_kit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


def _program(**values: Any) -> Program:
    program = Program.load()
    for name, value in values.items():
        setattr(program, name, value)
    program.save()
    return program


def _preset(key: str) -> Program:
    preset = presets.built_in(key)
    assert preset is not None
    return _program(**preset.values)


def _new(hr: Any, starts_on: date | None = START) -> Any:
    return cycles.create_cycle_from_program(
        by=hr,
        name="First",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        starts_on=starts_on,
    )


def test_growth_first_cycles_are_for_development_with_upward_reviews_and_no_peers() -> None:
    program = _preset("growth-first")
    assert defaults.use_for(program) == UseFor.DEVELOPMENT
    assert defaults.relationships(program) == ["self", "manager", "upward"]


def test_enterprise_cycles_are_for_pay_with_peers_and_a_weighted_score() -> None:
    program = _preset("enterprise")
    settings = defaults.settings(program)
    assert settings["use_for"] == UseFor.PAY_PROMOTION
    assert settings["score_method"] == ScoreMethod.WEIGHTED
    assert sum(v for k, v in settings.items() if k.startswith("weight_")) == 100
    assert Relationship.PEER in defaults.relationships(program)


def test_a_weighted_score_is_not_used_when_the_program_has_no_ratings() -> None:
    program = _program(review_ratings_enabled=False, review_score=ReviewScore.WEIGHTED)
    assert defaults.settings(program)["score_method"] == ScoreMethod.MANAGER_RATING


def test_the_schedule_skips_the_phases_of_kinds_of_review_not_taking_part() -> None:
    dates = defaults.schedule(START, days=7, taking_part=["self", "manager"], calibration=False)
    assert dates[PhaseKind.NOMINATION] is None and dates[PhaseKind.PEER] is None
    assert dates[PhaseKind.CALIBRATION] is None
    assert dates[PhaseKind.SELF] == (START, START + timedelta(days=6))
    assert dates[PhaseKind.MANAGER] == (START + timedelta(days=7), START + timedelta(days=13))


def test_the_schedule_gives_every_phase_the_programs_days_one_after_the_other() -> None:
    program = _preset("scale-up")
    dates = [d for d in defaults.program_schedule(START, program).values() if d]
    assert all((due - opens).days + 1 == 14 for opens, due in dates)
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in pairwise(dates))


def test_a_new_cycle_takes_the_programs_settings_templates_and_schedule(hr: Any) -> None:
    _preset("scale-up")
    create_starter_kit(by=hr)
    cycle = _new(hr)
    assert cycle.use_for == UseFor.PAY_PROMOTION
    kinds = set(cycle.forms.values_list("relationship", flat=True))
    assert kinds == {"self", "manager", "peer", "upward"}
    dated = set(Phase.objects.filter(cycle=cycle).values_list("kind", flat=True))
    assert PhaseKind.CALIBRATION in dated and PhaseKind.NOMINATION in dated


def test_a_new_cycle_without_a_start_date_has_no_dates_yet(hr: Any) -> None:
    cycle = _new(hr, starts_on=None)
    assert not Phase.objects.filter(cycle=cycle).exists()
    assert "phases" in cycles.launch_problems(cycle)


def test_a_cycle_made_from_the_program_departs_from_nothing(hr: Any) -> None:
    program = _preset("enterprise")
    create_starter_kit(by=hr)
    cycle = _new(hr)
    said = defaults.departures(
        cycle,
        program,
        taking_part=set(cycle.forms.values_list("relationship", flat=True)),
        phases=Phase.objects.filter(cycle=cycle),
    )
    assert said == []


def test_turning_peers_on_against_the_program_is_said_in_plain_words(hr: Any) -> None:
    program = _preset("growth-first")
    cycle = _new(hr)
    said = defaults.departures(
        cycle, program, taking_part={"self", "manager", "upward", "peer"}, phases=[]
    )
    assert "Peer reviews: on — the program says off." in said


def test_a_longer_phase_and_another_use_are_said_with_the_programs_value(hr: Any) -> None:
    program = _preset("growth-first")
    cycle = _new(hr)
    cycle = cycles.update_cycle(cycle, by=hr, use_for=UseFor.CALIBRATION)
    phase = Phase.objects.get(cycle=cycle, kind=PhaseKind.SELF)
    phase.due_on = phase.opens_on + timedelta(days=20)
    said = defaults.departures(
        cycle, program, taking_part={"self", "manager", "upward"}, phases=[phase]
    )
    assert "Self review: 21 days — the program says 14 days." in said
    assert any(s.startswith("Results used for: development and calibration") for s in said)


def test_without_peer_reviews_no_nomination_or_peer_dates_are_needed_to_launch(hr: Any) -> None:
    _preset("startup-okrs")
    _program(review_peers_enabled=False, review_upward_enabled=False)
    create_starter_kit(by=hr)
    PersonFactory()
    cycle = _new(hr)
    assert not Phase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).exists()
    assert cycles.launch_problems(cycle) == {}


def test_set_phases_still_requires_the_phases_of_kinds_taking_part(hr: Any) -> None:
    _preset("scale-up")
    create_starter_kit(by=hr)
    cycle = _new(hr)
    dates = defaults.program_schedule(START, Program.current())
    dates[PhaseKind.PEER] = None
    with pytest.raises(cycles.ValidationError) as raised:
        cycles.set_phases(cycle, by=hr, dates=dates)
    assert "peer_opens_on" in raised.value.message_dict
