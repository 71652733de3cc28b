"""The demo's promotions: a finished window with decisions that moved levels with history,
and a running window with cases in review and a committee of the demo's HR admin and
director. The frameworks part of the demo places people; here a stand-in places everyone
who is not placed yet, just before the promotions loader runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tandem.growth.demo import promotions as promotions_demo
from tandem.growth.models import (
    CaseStatus,
    Level,
    LevelChange,
    LevelChangeSource,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
    Track,
)
from tandem.org import demo
from tandem.org.models import Person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def _place_everyone(*, seed: int, today: date, progress: Any) -> None:
    track = Track.objects.first() or Track.objects.create(key="demo-ic", name="Demo IC")
    levels = list(track.levels.order_by("position")) or [
        Level.objects.create(track=track, position=i, code=f"D{i + 1}", title=f"Demo {i + 1}")
        for i in range(5)
    ]
    placed = Placement.objects.values("person_id")
    people = Person.objects.exclude(pk__in=placed).order_by("pk")
    Placement.objects.bulk_create(
        Placement(
            person=person,
            track=track,
            level=levels[i % (len(levels) - 1)],
            since=today - timedelta(days=400),
        )
        for i, person in enumerate(people)
    )


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    loaders = list(demo._DEMO_LOADERS)
    at = loaders.index(promotions_demo.load_demo)
    loaders.insert(at, _place_everyone)
    monkeypatch.setattr(demo, "_DEMO_LOADERS", loaders)
    demo.load_demo(people=120, seed=11, today=TODAY)
    yield


def test_the_finished_window_is_closed_with_promoted_and_not_yet_decisions(loaded):
    finished = PromotionWindow.objects.exclude(closed_at=None).get()
    outcomes = set(finished.cases.values_list("outcome", flat=True))
    assert outcomes == {Outcome.PROMOTED, Outcome.NOT_YET}
    assert not finished.cases.exclude(status=CaseStatus.DECIDED).exists()
    assert not finished.cases.filter(decision_reason="").exists()
    assert not finished.cases.filter(outcome=Outcome.NOT_YET, development_actions="").exists()


def test_each_promotion_moved_the_placement_with_a_step_of_history(loaded):
    promoted = PromotionCase.objects.filter(outcome=Outcome.PROMOTED)
    assert promoted.exists()
    for case in promoted:
        placement = Placement.objects.get(person_id=case.person_id)
        assert placement.level_id == case.target_level_id
        assert placement.since == case.effective_on
        change = LevelChange.objects.get(promotion_case=case)
        assert change.source == LevelChangeSource.PROMOTION
        assert (change.from_level_id, change.to_level_id) == (
            case.from_level_id,
            case.target_level_id,
        )


def test_the_running_window_has_cases_in_review_and_the_demo_committee(loaded):
    running = PromotionWindow.objects.get(closed_at=None)
    assert running.cases.filter(status=CaseStatus.IN_REVIEW).exists()
    emails = set(running.committee.values_list("email", flat=True))
    assert {e.split("@")[0] for e in emails} == {"hr", "director"}


def test_nothing_is_written_when_nobody_is_placed():
    promotions_demo.load_demo(seed=1, today=TODAY, progress=lambda *a: None)
    assert not PromotionWindow.objects.exists()
