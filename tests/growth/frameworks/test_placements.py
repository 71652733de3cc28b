"""Placing people: by hand, by mapping a level label (in bulk, with history), by level
code; the HR list of labels."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.growth.models import LevelAlias, LevelChange, LevelChangeSource, Placement
from tandem.growth.queries.placements import label_rows, resolve_labels
from tandem.growth.services import placements
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db


def test_hr_places_a_person_by_hand_with_a_history_step():
    track = ladder()
    person = PersonFactory(start_date=date(2020, 1, 6))
    level = track.levels.get(code="IC2")
    placements.place(
        by=hr_admin(), person=person, level=level, since=date(2024, 3, 1), reason="Joined as IC2"
    )
    placement = Placement.objects.get(person=person)
    assert (placement.level, placement.since) == (level, date(2024, 3, 1))
    step = LevelChange.objects.get(person=person)
    assert (step.from_level, step.to_level, step.source) == (
        None,
        level,
        LevelChangeSource.PLACEMENT,
    )


def test_placing_again_records_where_the_person_came_from():
    hr = hr_admin()
    track = ladder()
    person = PersonFactory(start_date=date(2020, 1, 6))
    ic1, ic2 = track.levels.get(code="IC1"), track.levels.get(code="IC2")
    placements.place(by=hr, person=person, level=ic1, since=date(2021, 1, 1))
    placements.place(by=hr, person=person, level=ic2, since=date(2023, 1, 1))
    latest = LevelChange.objects.filter(person=person)[0]
    assert (latest.from_level, latest.to_level) == (ic1, ic2)


def test_a_placement_before_the_person_started_is_refused():
    track = ladder()
    person = PersonFactory(start_date=date(2022, 5, 1))
    with pytest.raises(ValidationError) as caught:
        placements.place(
            by=hr_admin(),
            person=person,
            level=track.levels.get(code="IC1"),
            since=date(2022, 4, 30),
        )
    assert "since" in caught.value.message_dict


def test_only_hr_admins_place_people():
    track = ladder()
    with pytest.raises(NotAllowed):
        placements.place(
            by=PersonFactory(), person=PersonFactory(), level=track.levels.get(code="IC1")
        )


def test_mapping_a_label_places_everyone_who_carries_it():
    track = ladder()
    carriers = [PersonFactory(level="Senior Engineer II") for _ in range(3)]
    other = PersonFactory(level="Something else")
    level = track.levels.get(code="IC3")
    moved = placements.map_label(by=hr_admin(), label="Senior Engineer II", level=level)
    assert moved == 3
    assert set(Placement.objects.filter(level=level).values_list("person_id", flat=True)) == {
        p.pk for p in carriers
    }
    assert not Placement.objects.filter(person=other).exists()
    assert LevelAlias.objects.get(label="Senior Engineer II").level == level
    assert LevelChange.objects.filter(to_level=level, source=LevelChangeSource.IMPORT).count() == 3


def test_a_new_placement_from_a_label_counts_from_the_start_date():
    track = ladder()
    person = PersonFactory(level="Eng", start_date=date(2021, 2, 3))
    placements.map_label(by=hr_admin(), label="Eng", level=track.levels.get(code="IC1"))
    assert Placement.objects.get(person=person).since == date(2021, 2, 3)


def test_remapping_a_label_moves_the_people_placed_elsewhere_with_history():
    hr = hr_admin()
    track = ladder()
    person = PersonFactory(level="Eng")
    ic1, ic2 = track.levels.get(code="IC1"), track.levels.get(code="IC2")
    placements.map_label(by=hr, label="Eng", level=ic1)
    placements.map_label(by=hr, label="Eng", level=ic2)
    assert Placement.objects.get(person=person).level == ic2
    latest = LevelChange.objects.filter(person=person)[0]
    assert (latest.from_level, latest.to_level) == (ic1, ic2)


def test_people_who_left_are_not_placed():
    track = ladder()
    PersonFactory(
        level="Eng",
        status=PersonStatus.LEFT,
        start_date=date(2020, 1, 1),
        end_date=date(2025, 1, 1),
    )
    assert placements.map_label(by=hr_admin(), label="Eng", level=track.levels.get(code="IC1")) == 0


def test_a_label_nobody_carries_is_refused():
    track = ladder()
    with pytest.raises(ValidationError) as caught:
        placements.map_label(by=hr_admin(), label="Ghost", level=track.levels.get(code="IC1"))
    assert "label" in caught.value.message_dict


def test_a_label_that_is_a_level_code_of_one_track_maps_itself():
    track = ladder(codes=("IC1", "IC2"))
    person = PersonFactory(level="IC2")
    assert resolve_labels() == {"IC2": track.levels.get(code="IC2").pk}
    assert placements.place_by_labels(by=hr_admin(level="")) == 1
    assert Placement.objects.get(person=person).level.code == "IC2"


def test_a_code_two_tracks_share_maps_nowhere_without_a_mapping():
    ladder(codes=("M1",))
    ladder(codes=("M1",))
    PersonFactory(level="M1")
    assert resolve_labels() == {}


def test_placing_by_labels_moves_nobody_already_placed():
    hr = hr_admin(level="")
    track = ladder(codes=("IC1", "IC2"))
    person = PersonFactory(level="IC2")
    placements.place(by=hr, person=person, level=track.levels.get(code="IC1"))
    assert placements.place_by_labels(by=hr) == 0
    assert Placement.objects.get(person=person).level.code == "IC1"


def test_the_label_list_puts_unmapped_labels_first_with_their_counts():
    ladder(codes=("IC1",))
    PersonFactory(level="IC1")
    for _ in range(2):
        PersonFactory(level="Ninja")
    rows = label_rows()
    assert [(r.label, r.people, r.level is None) for r in rows] == [
        ("Ninja", 2, True),
        ("IC1", 1, False),
    ]


def test_a_people_import_places_new_people_by_their_mapped_level_label(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tandem.org.services.imports import import_people
    from tests.org.fixtures.import_files import HEADER, csv_bytes, person_row

    hr = hr_admin(level="")
    track = ladder(codes=("IC1", "IC2"))
    LevelAlias.objects.create(label="Senior Engineer", level=track.levels.get(code="IC2"))
    rows = [
        [*person_row("E1", "Ada", "Lovelace", title="CTO"), "IC1"],
        [*person_row("E2", "Alan", "Turing", manager="E1"), "Senior Engineer"],
        [*person_row("E3", "Edsger", "Dijkstra", manager="E1"), "Unmapped label"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = import_people(data=csv_bytes(rows, [*HEADER, "level"]), by=hr)
    assert result.applied
    placed = dict(Placement.objects.values_list("person__employee_id", "level__code"))
    assert placed == {"E1": "IC1", "E2": "IC2"}
