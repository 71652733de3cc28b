"""Framework snapshots are stored once per content (`reviews.FrameworkSnapshot`): shared by
everyone on the same track, level and version, reused by the next cycle, and left as they
were when the framework is edited after a launch."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.growth.models import Expectation
from tandem.reviews import framework as review_framework
from tandem.reviews.models import FrameworkSnapshot, Participant, Relationship, Review
from tests.factories import DepartmentFactory, PersonFactory
from tests.growth.factories_profile import Framework, framework, framework_cycle, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw() -> Framework:
    return framework()


@pytest.fixture
def people(fw: Framework) -> list[Any]:
    """Three engineers at IC2 and one at IC1, all under one lead (unplaced)."""
    department = DepartmentFactory(name="Platform")
    lead = PersonFactory(department=department)
    team = [PersonFactory(department=department, manager=lead) for _ in range(4)]
    for person in team[:3]:
        place(person, fw.levels[1])
    place(team[3], fw.levels[0])
    return team


def _snapshot_ids(cycle: Any) -> dict[int, int | None]:
    return dict(
        Participant.objects.filter(cycle=cycle).values_list("person_id", "framework_snapshot_id")
    )


def test_people_on_the_same_track_and_level_share_one_snapshot_row(people: list[Any]) -> None:
    cycle = framework_cycle(people)
    ids = _snapshot_ids(cycle)
    assert ids[people[0].pk] == ids[people[1].pk] == ids[people[2].pk] is not None
    assert ids[people[3].pk] not in (None, ids[people[0].pk])
    assert FrameworkSnapshot.objects.count() == 2


def test_a_later_cycle_reuses_the_snapshot_rows_of_an_unchanged_framework(
    people: list[Any],
) -> None:
    first = framework_cycle(people)
    second = framework_cycle(people, name="Next half-year")
    assert _snapshot_ids(second) == _snapshot_ids(first)
    assert FrameworkSnapshot.objects.count() == 2


def test_a_participant_reads_the_content_of_their_snapshot_row(people: list[Any]) -> None:
    cycle = framework_cycle(people)
    participant = Participant.objects.select_related("framework_snapshot").get(
        cycle=cycle, person=people[0]
    )
    assert participant.framework["level"] == "IC2"
    assert participant.framework == participant.framework_snapshot.content


def test_a_participant_without_a_placement_reads_an_empty_framework(fw: Framework) -> None:
    cycle = framework_cycle([PersonFactory()])
    participant = Participant.objects.get(cycle=cycle)
    assert participant.framework_snapshot_id is None and participant.framework == {}


def test_an_edit_after_launch_leaves_the_launched_reviews_items_and_makes_a_new_row(
    people: list[Any],
) -> None:
    cycle = framework_cycle(people)
    Expectation.objects.filter(text="Craft at IC2").update(text="Craft, rewritten later")
    later = framework_cycle(people, name="After the edit")

    review = Review.objects.select_related("template_version", "participant__framework_snapshot")
    launched = review.get(cycle=cycle, reviewee=people[0], relationship=Relationship.SELF)
    items = review_framework.content_of(launched)["sections"][0]["questions"][1]["items"]
    assert items[0]["description"] == "Craft at IC2"
    after = review.get(cycle=later, reviewee=people[0], relationship=Relationship.SELF)
    new_items = review_framework.content_of(after)["sections"][0]["questions"][1]["items"]
    assert new_items[0]["description"] == "Craft, rewritten later"
    assert _snapshot_ids(later)[people[0].pk] != _snapshot_ids(cycle)[people[0].pk]


def test_a_review_loaded_for_its_page_reads_its_framework_items_without_a_query(
    people: list[Any], django_assert_num_queries: Any
) -> None:
    from tandem.reviews.queries.writing import review_for

    cycle = framework_cycle(people)
    pk = Review.objects.get(cycle=cycle, reviewee=people[0], relationship=Relationship.SELF).pk
    review = review_for(people[0], pk)
    with django_assert_num_queries(0):
        content = review_framework.content_of(review)
    assert content["sections"][0]["questions"][1]["items"][0]["key"] == "craft"


def test_the_reviews_of_a_participant_read_their_items_without_a_query_each(
    people: list[Any], django_assert_num_queries: Any
) -> None:
    from tandem.reviews.queries.writing import reviews_of_participant
    from tests.factories import hr_admin

    cycle = framework_cycle(people)
    participant = Participant.objects.get(cycle=cycle, person=people[0])
    reviews = reviews_of_participant(hr_admin(), participant)
    assert len(reviews) == 2  # self and manager
    with django_assert_num_queries(0):
        contents = [review_framework.content_of(review) for review in reviews]
    assert all(c["sections"][0]["questions"][1]["items"] for c in contents)
