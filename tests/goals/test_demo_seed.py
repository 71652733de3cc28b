"""The goals demo is made from its seed: the same seed, the same goals (a module of its own:
tests/goals/test_demo.py keeps one demo loaded for all its tests)."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.goals.models import Goal, KeyResult, Period, Priority, WeeklyCheckIn
from tandem.org import demo
from tests.demo_reset import wipe_company

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 11)


def snapshot() -> list[tuple[object, ...]]:
    goals = list(
        Goal.objects.order_by("id").values_list(
            "id",
            "title",
            "level",
            "owner_id",
            "parent_id",
            "path",
            "visibility",
            "progress",
            "health",
            "churn",
            "score",
            "last_checkin_at",
        )
    )
    krs = list(KeyResult.objects.order_by("id").values_list("id", "current_value", "progress"))
    weekly = list(
        Priority.objects.order_by("id").values_list("id", "checkin__person_id", "goal_id", "done")
    )
    return [*goals, *krs, *weekly]


def wipe() -> None:
    WeeklyCheckIn.objects.all().delete()
    wipe_company()
    Period.objects.all().delete()


def test_the_same_seed_gives_the_same_goals() -> None:
    demo.load_demo(people=60, seed=3, today=TODAY)
    first = snapshot()
    wipe()
    demo.load_demo(people=60, seed=3, today=TODAY)
    assert snapshot() == first
