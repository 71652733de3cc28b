"""The reviews demo at other sizes and seeds (a module of its own: tests/reviews/test_demo.py
keeps one demo loaded for all its tests)."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews.models import Cycle, CycleStatus, Participant, ReviewRevision

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("people", "seed"), [(40, 1), (75, 3), (200, 2024)])
def test_the_demo_loads_at_other_sizes_and_seeds(people, seed):
    demo.load_demo(people=people, seed=seed, today=TODAY)
    assert Cycle.objects.filter(status=CycleStatus.CLOSED, imported_at=None).count() == 1
    assert ReviewRevision.objects.exists()
    active = Cycle.objects.get(status=CycleStatus.ACTIVE)
    assert (
        Participant.objects.filter(cycle=active).count()
        == Person.objects.exclude(status="left").count()
    )
