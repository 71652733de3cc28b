"""The demo's imported history (reviews.demo_history): two half-year cycles before the
finished one, written through the ratings import."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tandem.reviews.demo_history import history_rows
from tandem.reviews.models import Cycle, CycleStatus
from tandem.reviews.queries.ratings import rated_participants
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
SEED = 11


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=SEED, today=TODAY):
        yield


def test_the_demo_has_two_imported_half_years_before_its_finished_cycle(loaded: None) -> None:
    finished = Cycle.objects.get(status=CycleStatus.CLOSED, imported_at=None)
    imported = list(Cycle.objects.exclude(imported_at=None).order_by("period_start"))

    assert len(imported) == 2
    assert all(c.status == CycleStatus.CLOSED for c in imported)
    assert imported[0].period_end < imported[1].period_start
    assert imported[1].period_end < finished.period_start


def test_the_imported_history_has_a_manager_rating_for_people(loaded: None) -> None:
    cycle = Cycle.objects.exclude(imported_at=None).order_by("period_start").last()
    assert cycle is not None

    ratings = [p.raw_rating for p in rated_participants(cycle)]  # type: ignore[attr-defined]
    assert len(ratings) > 50
    assert set(ratings) <= {1, 2, 3, 4, 5}
    assert len(set(ratings)) >= 3


def test_the_history_rows_are_the_same_for_the_same_seed(loaded: None) -> None:
    assert history_rows(seed=SEED, today=TODAY) == history_rows(seed=SEED, today=TODAY)
