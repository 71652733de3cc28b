"""The demo's competency profiles: its reviews rate each person on their own framework, so
the people it placed see ratings, what their level expects and the gap."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.growth.models import Placement
from tandem.growth.queries.profile import profile_page
from tandem.org import demo
from tandem.reviews.models import FrameworkSnapshot, Participant

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture
def loaded() -> None:
    demo.load_demo(people=120, seed=11, today=TODAY)


def test_most_placed_demo_people_see_manager_ratings_and_gaps_in_their_profile(loaded):
    placed = [p.person for p in Placement.objects.select_related("person")]
    assert placed
    with_gaps = 0
    for person in placed:
        page = profile_page(person, person)
        if any(row.manager is not None and row.gap is not None for row in page.rows):
            with_gaps += 1
    assert with_gaps >= 0.8 * len(placed)


def test_the_demo_stores_one_snapshot_per_track_and_level_not_per_person(loaded):
    referenced = Participant.objects.exclude(framework_snapshot=None)
    distinct = referenced.values("framework_snapshot").distinct().count()
    assert referenced.count() > 4 * distinct
    assert FrameworkSnapshot.objects.count() == distinct
