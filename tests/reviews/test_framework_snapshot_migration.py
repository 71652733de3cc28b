"""The migration that turns each participant's framework JSON into a reference to one
shared `FrameworkSnapshot` row, tested through its forward function's core on a few rows
(the old column no longer exists at the head of the migrations)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tandem.reviews import framework
from tandem.reviews.models import FrameworkSnapshot, Participant
from tests.factories import PersonFactory
from tests.reviews.factories import CycleFactory, add_participant

pytestmark = pytest.mark.django_db

MIGRATION = "tandem.reviews.migrations.0015_participant_framework_to_snapshot_references"
IC1 = {"track": "eng", "level": "IC1", "version": 1, "items": [{"key": "craft", "name": "C"}]}
IC2 = {"track": "eng", "level": "IC2", "version": 1, "items": [{"key": "craft", "name": "C"}]}


@pytest.fixture
def participants() -> list[Participant]:
    cycle: Any = CycleFactory()
    return [add_participant(cycle, PersonFactory()) for _ in range(4)]


def _move(rows: list[tuple[int, dict[str, Any]]]) -> int:
    migration = importlib.import_module(MIGRATION)
    moved: int = migration.move_to_references(rows, FrameworkSnapshot, Participant)
    return moved


def _references(participants: list[Participant]) -> list[int | None]:
    ids = dict(Participant.objects.values_list("pk", "framework_snapshot_id"))
    return [ids[p.pk] for p in participants]


def test_the_migration_stores_each_distinct_framework_once_and_points_at_it(
    participants: list[Participant],
) -> None:
    a, b, c, d = participants
    # The same content with its keys in another order is the same snapshot.
    reordered = dict(reversed(list(IC1.items())))
    moved = _move([(a.pk, IC1), (b.pk, reordered), (c.pk, IC2), (d.pk, {})])
    assert moved == 3
    first, second, third, none = _references(participants)
    assert first == second != third and none is None
    assert FrameworkSnapshot.objects.count() == 2
    assert FrameworkSnapshot.objects.get(pk=first).content == IC1


def test_the_migration_reuses_a_row_stored_by_a_launch_with_the_same_content(
    participants: list[Participant],
) -> None:
    stored = framework.stored(IC2)
    _move([(participants[0].pk, IC2)])
    assert _references(participants)[0] == stored.pk
    assert FrameworkSnapshot.objects.count() == 1
