"""The demo's frameworks: three tracks with 5 to 7 levels and 8 to 12 competencies, every
expectation written, and every demo person who still works there placed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from tandem.growth.models import (
    Expectation,
    FrameworkVersion,
    LevelChange,
    LevelChangeSource,
    Placement,
    Track,
)
from tandem.org.models import Person, PersonStatus
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=11, today=TODAY):
        yield


def test_the_demo_has_three_tracks_of_the_right_size(loaded):
    tracks = Track.objects.annotate(
        n_levels=Count("levels", distinct=True), n_competencies=Count("competencies", distinct=True)
    )
    assert tracks.count() == 3
    for track in tracks:
        assert 5 <= track.n_levels <= 7, track.name
        assert 8 <= track.n_competencies <= 12, track.name
        assert Expectation.objects.filter(level__track=track).count() == (
            track.n_levels * track.n_competencies
        )


def test_every_current_demo_person_is_placed_with_a_history_step(loaded):
    people = Person.objects.exclude(status=PersonStatus.LEFT).count()
    assert Placement.objects.count() == people
    assert LevelChange.objects.values("person_id").distinct().count() == people


def test_engineers_and_managers_land_on_their_tracks(loaded):
    # The promotion demo moves some people up a level after they were placed by label.
    promoted = LevelChange.objects.filter(source=LevelChangeSource.PROMOTION).values("person_id")
    placed = Placement.objects.exclude(person_id__in=promoted).select_related(
        "track", "person", "level"
    )
    for placement in placed:
        label = placement.person.level
        if label.startswith("IC"):
            assert (placement.track.key, placement.level.code) == ("engineering-ic", label)
        elif label in {"M1", "M2", "M3", "VP", "CEO"}:
            assert (placement.track.key, placement.level.code) == ("management", label)
        else:
            assert placement.track.key == "business"
            assert placement.level.code == f"B{label[-1]}"


def test_each_track_is_frozen_once(loaded):
    assert FrameworkVersion.objects.count() == 3
