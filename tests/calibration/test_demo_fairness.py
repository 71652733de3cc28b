"""The default demo's gender gap, before and after calibration (a module of its own: it loads
the default-size demo, tests/calibration/test_demo.py a smaller one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tandem.fairness import demo as fairness_demo
from tandem.fairness.queries import groups
from tandem.fairness.queries.groups import GroupFigures
from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews.queries import ratings
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def default_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(
        django_db_blocker, people=demo.DEFAULT_PEOPLE, seed=demo.DEFAULT_SEED, today=TODAY
    ):
        yield


@pytest.fixture
def gender_figures(default_demo: None) -> dict[str, dict[str, GroupFigures]]:
    """The default demo's gender figures per stage: {stage: {group: figures}}."""
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
